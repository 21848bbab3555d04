/**
 * Finding transports: the registry of {@link dev.plumb.rpc.spi.PlumbTransport}s found by
 * {@link java.util.ServiceLoader}, keyed by URI scheme, and the gRPC name resolver that turns
 * a Plumb target into the address its transport parsed. Transport modules extend
 * {@link dev.plumb.rpc.registry.PlumbNameResolverProvider} once per scheme, under
 * {@code plumb+scheme} where gRPC gives the scheme itself to HTTP/2 ({@code unix:}); Plumb's
 * channels resolve under that name ({@link dev.plumb.rpc.registry.GrpcRegistryTargets}).
 */
package dev.plumb.rpc.registry;
