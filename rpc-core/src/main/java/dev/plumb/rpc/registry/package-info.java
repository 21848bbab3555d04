/**
 * Finding transports and servers: the registry of {@link dev.plumb.rpc.spi.PlumbTransport}s
 * found by {@link java.util.ServiceLoader}, keyed by URI scheme, where target strings become
 * addresses ({@link dev.plumb.rpc.registry.PlumbTarget}: one endpoint, or a list of
 * {@code HOST:PORT} endpoints); the gRPC name resolver that turns a Plumb target into every
 * address it names, looking hosts up again when gRPC asks; and
 * {@link dev.plumb.rpc.registry.IpTransport}, the transport that carries the IP addresses of
 * gRPC's own resolvers. Transport modules extend
 * {@link dev.plumb.rpc.registry.PlumbNameResolverProvider} once per scheme, under
 * {@code plumb+scheme} where gRPC gives the scheme itself to HTTP/2 ({@code unix:}); Plumb's
 * channels resolve under that name. {@link dev.plumb.rpc.registry.GrpcRegistryTargets} says
 * what gRPC's registry makes of a target: Plumb's, IP addresses of gRPC's own resolvers, or
 * neither.
 */
package dev.plumb.rpc.registry;
