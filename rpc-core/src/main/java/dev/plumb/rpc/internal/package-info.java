/**
 * The gRPC adapter and the Plumb protocol session: client and server transports as grpc-java
 * sees them, their streams, flow control, metadata coding and the handshake. Not API: used
 * only by {@link dev.plumb.rpc}; it uses {@code registry}, {@code spi} and {@code frame}, and
 * no transport or kit. It relies on {@code io.grpc.internal}, whose classes
 * docs/ARCHITECTURE.md lists; {@link dev.plumb.rpc.internal.GrpcRuntime} and
 * {@link dev.plumb.rpc.internal.TransportServersBuilder} keep it working across the grpc-java
 * versions docs/USING.md names. The public classes here are public only for the builders (and
 * the test kit): not API, and left out of the javadoc jar.
 */
package dev.plumb.rpc.internal;
