package dev.plumb.rpc.testing;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Copies request metadata whose key starts with "echo-" into response headers and trailers. */
public final class EchoMetadataInterceptor implements ServerInterceptor {
  public static final String PREFIX = "echo-";

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Metadata echoed = new Metadata();
    for (String key : headers.keys()) {
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        Metadata.Key<byte[]> binary = Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER);
        for (byte[] value : headers.getAll(binary)) {
          echoed.put(binary, value);
        }
      } else {
        Metadata.Key<String> ascii = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
        for (String value : headers.getAll(ascii)) {
          echoed.put(ascii, value);
        }
      }
    }
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        responseHeaders.merge(echoed);
        super.sendHeaders(responseHeaders);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        trailers.merge(echoed);
        super.close(status, trailers);
      }
    }, headers);
  }
}
