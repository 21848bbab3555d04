/**
 * The connection load test, run by hand (not part of {@code mvn verify}): a thousand client
 * connections, one channel each, from client JVMs of their own, to one Plumb server per
 * transport, with unary calls on all of them at once; then the same with the server's
 * connection limit below the number of clients. {@link dev.plumb.benchmarks.connections.ConnectionLoad}
 * runs it; docs/TRANSPORTS.md ("Connection limits") has the command and the figures.
 */
package dev.plumb.benchmarks.connections;
