/**
 * Plumb settings from configuration rather than code: system properties, environment
 * variables and a properties file, in that order of precedence, applied to the builders of
 * {@link dev.plumb.rpc}. For applications and tools; nothing below the API layer uses it.
 * {@link dev.plumb.rpc.config.PlumbManagedChannelProvider} is Plumb's channel provider in
 * gRPC's registry ({@code Grpc.newChannelBuilder}): it takes Plumb targets, and the IP
 * addresses of {@code dns:} targets over the transport that {@code plumb.ipTransport} names,
 * and hands every other target to the provider gRPC would pick without Plumb.
 */
package dev.plumb.rpc.config;
