/**
 * Plumb settings from configuration rather than code: system properties, environment
 * variables and a properties file, in that order of precedence, applied to the builders of
 * {@link dev.plumb.rpc}. For applications and tools; nothing below the API layer uses it.
 * {@link dev.plumb.rpc.config.IpTransportChannelProvider} lets gRPC's
 * {@code Grpc.newChannelBuilder} carry the IP addresses of {@code dns:} targets over the
 * transport that {@code plumb.ipTransport} names.
 */
package dev.plumb.rpc.config;
