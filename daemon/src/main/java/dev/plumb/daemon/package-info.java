/**
 * The RPC daemon, {@code plumb-daemon}: hosts the gRPC services of an application's jars on
 * Plumb listen addresses, sockets that systemd passed included, with gRPC's health, reflection
 * and channelz services; drains on SIGTERM. {@link dev.plumb.daemon.PlumbDaemon} is its command
 * line; docs/DAEMON.md describes it.
 */
package dev.plumb.daemon;
