/**
 * Ready-made parts for transport authors, built only on {@link dev.plumb.rpc.spi},
 * {@link dev.plumb.rpc.frame} and {@link dev.plumb.rpc.idle}: a connection over a pair of
 * blocking streams (whose end is bounded whatever the peer does, and whose reader writes what
 * the link's {@link LinkRoom} says it takes at once), a connection's lifecycle (start versus
 * close, why it ends, telling the handler once), a blocking connect run off the caller's thread
 * with cancel, named daemon threads, refusing a peer before the handshake, the socket
 * transports' {@code idle} option ({@link IdleMode}) and the latency mode's polling reads
 * ({@link PollingInputStream}), and parsing URI options, sizes and durations. A transport may
 * use any of them or none; the core does not depend on them.
 */
package dev.plumb.rpc.kit;
