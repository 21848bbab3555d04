/**
 * The {@code tcp:} transport: the Plumb protocol over TCP with Netty (epoll or NIO), for
 * processes on different hosts or where Unix sockets are not available. Found by the core
 * through {@code ServiceLoader} ({@link dev.plumb.rpc.spi.PlumbTransport},
 * {@link io.grpc.NameResolverProvider}); applications name it only in targets and listen
 * addresses ({@code tcp://host:port}). The public classes are public for that registration
 * alone; nothing here is API to call.
 */
package dev.plumb.transport.tcp;
