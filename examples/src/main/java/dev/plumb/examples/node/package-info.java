/**
 * The calculator called from another language: {@link
 * dev.plumb.examples.node.NodeCalculatorClient} installs and runs a Node.js client on
 * {@code @grpc/grpc-js} against a server's gRPC (HTTP/2) endpoint, such as the daemon's
 * {@code grpc://} address.
 */
package dev.plumb.examples.node;
