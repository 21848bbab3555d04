/**
 * Finding transports: the registry of {@link dev.plumb.rpc.spi.PlumbTransport}s found by
 * {@link java.util.ServiceLoader}, keyed by URI scheme, and the gRPC name resolver that turns
 * a Plumb target into the address its transport parsed. Transport modules extend
 * {@link dev.plumb.rpc.registry.PlumbNameResolverProvider} once per scheme.
 */
package dev.plumb.rpc.registry;
