/**
 * The contracts between the core and a transport, and nothing else: a transport
 * ({@link dev.plumb.rpc.spi.PlumbTransport}) parses its addresses, connects and listens; each
 * link is a {@link dev.plumb.rpc.spi.Connection} that moves frames to and from the core's
 * {@link dev.plumb.rpc.spi.ConnectionHandler}; a transport that can run TLS on its links offers
 * {@link dev.plumb.rpc.spi.TlsSupport}. Transport authors implement these; ready-made
 * parts for doing so are in {@link dev.plumb.rpc.kit}.
 */
package dev.plumb.rpc.spi;
