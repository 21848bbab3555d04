/**
 * What an application uses: {@link dev.plumb.rpc.PlumbChannelBuilder} and
 * {@link dev.plumb.rpc.PlumbServerBuilder} build gRPC channels and servers on a Plumb target
 * URI, and {@link dev.plumb.rpc.PlumbAttributes} names what a call can learn of its peer.
 * gRPC's own registry ({@code Grpc.newChannelBuilder}) hands Plumb targets to Plumb through
 * {@link dev.plumb.rpc.config.PlumbManagedChannelProvider}.
 *
 * <p>Layers, top down (each may use those below it, never those above): this package and
 * {@code config}; {@code internal} (the gRPC adapter and the session); {@code registry}
 * (transports and name resolution by scheme); {@code kit} (parts for transport authors);
 * {@code spi} (the contracts a transport implements); {@code frame} (the wire format).
 * {@code memory} is a transport like any other, built on {@code spi} and {@code kit}.
 */
package dev.plumb.rpc;
