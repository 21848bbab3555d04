/**
 * The RPC daemon, {@code plumb-daemon}: hosts the gRPC services of an application's jars on
 * Plumb listen addresses, sockets that systemd passed included, and on standard gRPC (HTTP/2)
 * addresses beside them ({@code grpc://}, {@code grpc+unix://}), with gRPC's health, reflection
 * and channelz services; drains on SIGTERM. {@link dev.plumb.daemon.PlumbDaemon} is its command
 * line; docs/DAEMON.md describes it.
 */
package dev.plumb.daemon;
