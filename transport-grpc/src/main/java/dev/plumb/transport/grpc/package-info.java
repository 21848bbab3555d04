/**
 * A standard gRPC (HTTP/2) endpoint beside Plumb's: {@link PlumbGrpcServerBuilder} builds one
 * server whose services answer on Plumb listen addresses and, through grpc-netty, on
 * {@code grpc://host:port} and {@code grpc+unix:///path} ({@link GrpcListenAddress}), for
 * tools and clients in other languages that speak gRPC over HTTP/2 and not Plumb.
 */
package dev.plumb.transport.grpc;
