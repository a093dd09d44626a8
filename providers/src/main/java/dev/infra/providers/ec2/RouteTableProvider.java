package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteOrigin;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociationStateCode;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@code aws_route_table}: vpcId, routes, subnetIds, tags; computed ownerId.
 *
 * <p>{@code routes} is a list of maps {@code {destinationCidrBlock, gatewayId | natGatewayId}} sorted by
 * destination, without the implicit {@code local} route (and without routes AWS adds itself, such as propagated
 * ones). Reads also report {@code transitGatewayId}, {@code vpcPeeringConnectionId} or {@code networkInterfaceId}
 * targets set outside the tool, so that they show up as drift. {@code subnetIds} is the sorted list of explicitly
 * associated subnets (also declared unordered). Updates create, replace and delete routes and associate and
 * disassociate subnets.
 */
public final class RouteTableProvider extends Ec2Provider<RouteTable> {

    public static final String TYPE = "aws_route_table";
    static final String ROUTES = "routes";
    static final String SUBNET_IDS = "subnetIds";
    static final String DESTINATION = "destinationCidrBlock";
    static final String GATEWAY = "gatewayId";
    static final String NAT_GATEWAY = "natGatewayId";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required(ROUTES, Kind.LIST).updatable()
                    .doc("list of {destinationCidrBlock, gatewayId \\| natGatewayId}, sorted by destination, no `local`"),
            Attribute.required(SUBNET_IDS, Kind.SET).updatable(),
            Attribute.required("vpcId", Kind.REFERENCE),
            Attribute.computed("ownerId", Kind.STRING))
            .with(Trait.TAGGED)
            .id("rtb-…");

    public RouteTableProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.ROUTE_TABLE, "InvalidRouteTableID.NotFound", RouteTable::routeTableId, RouteTable::tags);
    }

    @Override
    protected List<RouteTable> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeRouteTables", () -> ec2().describeRouteTablesPaginator(
                b -> b.filters(filtersOrNull(filters)).routeTableIds(idsOrNull(ids))).routeTables().stream().toList());
    }

    @Override
    protected Map<String, Object> attributesOf(RouteTable rt) {
        Map<String, Object> a = new TreeMap<>();
        a.put("vpcId", rt.vpcId());
        a.put(ROUTES, routes(rt));
        a.put(SUBNET_IDS, List.copyOf(subnetAssociations(rt).keySet()));
        putIfPresent(a, "ownerId", rt.ownerId());
        return a;
    }

    /** The routes the tool manages, as attribute maps, sorted by destination. */
    private static List<Map<String, Object>> routes(RouteTable rt) {
        return rt.routes().stream()
                .filter(r -> r.destinationCidrBlock() != null && !"local".equals(r.gatewayId()))
                .filter(r -> r.origin() == null || r.origin() == RouteOrigin.CREATE_ROUTE)
                .sorted(Comparator.comparing(Route::destinationCidrBlock))
                .map(RouteTableProvider::routeAttributes)
                .toList();
    }

    private static Map<String, Object> routeAttributes(Route r) {
        Map<String, Object> m = new TreeMap<>();
        m.put(DESTINATION, r.destinationCidrBlock());
        putIfPresent(m, GATEWAY, r.gatewayId());
        putIfPresent(m, NAT_GATEWAY, r.natGatewayId());
        putIfPresent(m, "transitGatewayId", r.transitGatewayId());
        putIfPresent(m, "vpcPeeringConnectionId", r.vpcPeeringConnectionId());
        if (r.gatewayId() == null && r.natGatewayId() == null) {
            putIfPresent(m, "networkInterfaceId", r.networkInterfaceId());
        }
        return m;
    }

    /** Explicit subnet associations: subnet id → association id, sorted by subnet id. */
    private static Map<String, String> subnetAssociations(RouteTable rt) {
        Map<String, String> out = new TreeMap<>();
        for (RouteTableAssociation a : rt.associations()) {
            boolean gone = a.associationState() != null
                    && (a.associationState().state() == RouteTableAssociationStateCode.DISASSOCIATED
                    || a.associationState().state() == RouteTableAssociationStateCode.DISASSOCIATING);
            if (!Boolean.TRUE.equals(a.main()) && a.subnetId() != null && !gone) {
                out.put(a.subnetId(), a.routeTableAssociationId());
            }
        }
        return out;
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        desiredRoutes(spec); // invalid routes fail before anything is created
        SpecValues.strings(spec, SUBNET_IDS);
        return call("CreateRouteTable", () -> once.createRouteTable(b -> b.vpcId(SpecValues.string(spec, "vpcId"))
                .clientToken(clientToken).tagSpecifications(tags))).routeTable().routeTableId();
    }

    @Override
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
        for (DesiredRoute r : desiredRoutes(spec)) {
            whenVisible(ctx, id, () -> createRoute(id, r));
        }
        for (String subnet : new TreeSet<>(SpecValues.strings(spec, SUBNET_IDS))) {
            whenVisible(ctx, id, () -> associate(id, subnet));
        }
    }

    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        String id = current.id();
        RouteTable rt = describeOne(id).orElseThrow(
                () -> new ProviderException(spec.address(), "route table " + id + " no longer exists"));

        Map<String, Map<String, Object>> have = new LinkedHashMap<>();
        routes(rt).forEach(r -> have.put((String) r.get(DESTINATION), r));
        Map<String, DesiredRoute> want = new LinkedHashMap<>();
        desiredRoutes(spec).forEach(r -> want.put(r.destination(), r));
        for (DesiredRoute r : want.values()) {
            Map<String, Object> existing = have.get(r.destination());
            if (existing == null) {
                createRoute(id, r);
            } else if (!r.matches(existing)) {
                call("ReplaceRoute", () -> ec2().replaceRoute(b -> b.routeTableId(id)
                        .destinationCidrBlock(r.destination()).gatewayId(r.gatewayId()).natGatewayId(r.natGatewayId())));
            }
        }
        for (String destination : have.keySet()) {
            if (!want.containsKey(destination)) {
                ignoreNotFound(() -> call("DeleteRoute",
                        () -> ec2().deleteRoute(b -> b.routeTableId(id).destinationCidrBlock(destination))));
            }
        }

        Map<String, String> associated = subnetAssociations(rt);
        Set<String> wantSubnets = new TreeSet<>(SpecValues.strings(spec, SUBNET_IDS));
        for (String subnet : wantSubnets) {
            if (!associated.containsKey(subnet)) {
                associate(id, subnet);
            }
        }
        associated.forEach((subnet, association) -> {
            if (!wantSubnets.contains(subnet)) {
                disassociate(association);
            }
        });
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        RouteTable rt = describeOne(id).orElse(null);
        if (rt == null) {
            return;
        }
        subnetAssociations(rt).values().forEach(this::disassociate);
        retryWhileInUse(ctx, "DeleteRouteTable " + id,
                () -> call("DeleteRouteTable", () -> ec2().deleteRouteTable(b -> b.routeTableId(id))));
    }

    /** CreateRoute; RouteAlreadyExists after a lost answer is fine when the table has this very route. */
    private String createRoute(String routeTableId, DesiredRoute r) {
        addLink(() -> call("CreateRoute", () -> ec2().createRoute(b -> b.routeTableId(routeTableId)
                        .destinationCidrBlock(r.destination()).gatewayId(r.gatewayId()).natGatewayId(r.natGatewayId()))),
                () -> describeOne(routeTableId).map(rt -> routes(rt).stream().anyMatch(r::matches)).orElse(false));
        return routeTableId;
    }

    /** AssociateRouteTable; Resource.AlreadyAssociated after a lost answer is fine when it is with this table. */
    private String associate(String routeTableId, String subnetId) {
        addLink(() -> call("AssociateRouteTable",
                        () -> ec2().associateRouteTable(b -> b.routeTableId(routeTableId).subnetId(subnetId))),
                () -> describeOne(routeTableId).map(rt -> subnetAssociations(rt).containsKey(subnetId)).orElse(false));
        return routeTableId;
    }

    private void disassociate(String associationId) {
        ignoreNotFound(() -> call("DisassociateRouteTable",
                () -> ec2().disassociateRouteTable(b -> b.associationId(associationId))));
    }

    private static void ignoreNotFound(Runnable call) {
        try {
            call.run();
        } catch (AwsCallException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /** One entry of the spec's {@code routes}: a destination and exactly one of the two targets. */
    record DesiredRoute(String destination, String gatewayId, String natGatewayId) {

        boolean matches(Map<String, Object> live) {
            Map<String, Object> expected = new TreeMap<>();
            expected.put(DESTINATION, destination);
            putIfPresent(expected, GATEWAY, gatewayId);
            putIfPresent(expected, NAT_GATEWAY, natGatewayId);
            return expected.equals(live);
        }
    }

    private static List<DesiredRoute> desiredRoutes(ResourceSpec spec) {
        List<DesiredRoute> out = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Map<?, ?> m : SpecValues.maps(spec, ROUTES)) {
            String destination = text(m.get(DESTINATION));
            String gateway = text(m.get(GATEWAY));
            String nat = text(m.get(NAT_GATEWAY));
            if (destination == null || (gateway == null) == (nat == null)) {
                throw new ProviderException(spec.address(), "each route needs " + DESTINATION
                        + " and exactly one of " + GATEWAY + " or " + NAT_GATEWAY + ", got " + m);
            }
            if (!seen.add(destination)) {
                throw new ProviderException(spec.address(), "two routes for " + destination);
            }
            out.add(new DesiredRoute(destination, gateway, nat));
        }
        out.sort(Comparator.comparing(DesiredRoute::destination));
        return out;
    }

    private static String text(Object o) {
        return o == null ? null : Objects.toString(o);
    }
}
