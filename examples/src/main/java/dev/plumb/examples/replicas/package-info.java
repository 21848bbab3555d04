/**
 * Three replicas behind one target: {@link dev.plumb.examples.replicas.RoundRobinClient} spreads
 * its calls over every server a target names with gRPC's round_robin, and prints which server
 * answered each share, as {@link dev.plumb.examples.replicas.PeerAddress} notes it.
 */
package dev.plumb.examples.replicas;
