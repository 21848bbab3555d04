/**
 * Ready-made parts for transport authors, built only on {@link dev.plumb.rpc.spi} and
 * {@link dev.plumb.rpc.frame}: a connection over a pair of blocking streams (whose end is
 * bounded whatever the peer does, and whose reader writes what the link's {@link LinkRoom}
 * says it takes at once), a connection's
 * lifecycle (start versus close, why it ends, telling the handler once), a blocking connect
 * run off the caller's thread with cancel, named daemon threads, refusing a peer before the
 * handshake, rate-limited warnings for what peers cause, and parsing URI options, sizes and durations. A transport may use any of
 * them or none; the core does not depend on them.
 */
package dev.plumb.rpc.kit;
