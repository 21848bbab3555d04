/**
 * The {@code unix:} and {@code unix-abstract:} transports: the Plumb protocol over Unix domain
 * sockets with junixsocket, with socket-file mode, stale-file handling, peer credentials and a
 * uid/gid allow-list. Found by the core through {@code ServiceLoader}; applications name it in
 * targets and listen addresses and may read {@link UnixSocketAddress} from a call's transport
 * attributes.
 *
 * <p>{@link UnixRendezvous} is the one API for other transport modules (today
 * {@code transport-shm}): a socket file listened on and connected to under {@code unix:}'s rules
 * and access control. Everything else here is package-private, {@code unix:}'s own.
 */
package dev.plumb.transport.unix;
