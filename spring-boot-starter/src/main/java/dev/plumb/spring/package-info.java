/**
 * Plumb in a Spring Boot 3 application: the application's gRPC service beans served on
 * {@code plumb.server.listen} addresses by a {@link dev.plumb.spring.PlumbServer} that starts
 * with the context and drains when it closes, and injectable channels to the named clients of
 * {@code plumb.client.NAME.target} ({@link dev.plumb.spring.PlumbChannels}). The keys are
 * {@link dev.plumb.spring.PlumbProperties}; docs/SPRING_BOOT.md describes it all.
 */
package dev.plumb.spring;
