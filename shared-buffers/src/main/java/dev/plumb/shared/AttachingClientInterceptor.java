package dev.plumb.shared;

import dev.plumb.rpc.attach.CallAttachments;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * A Plumb channel's interceptor for calls whose messages can name shared buffers: queues each
 * request's buffers as attachments of the call ({@link CallAttachments}, under its call option
 * for the stream) before gRPC has the request, binds those that arrive with each response to
 * it, and closes what is left when the call ends.
 */
final class AttachingClientInterceptor implements ClientInterceptor {
  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    if (!AttachedTypes.mayAttach(method)) {
      return next.newCall(method, callOptions);
    }
    CallAttachments attachments = new CallAttachments();
    return new AttachingCall<>(
        next.newCall(method, callOptions.withOption(CallAttachments.CALL_OPTION, attachments)),
        new MessageAttachments(attachments));
  }

  private static final class AttachingCall<ReqT, RespT>
      extends SimpleForwardingClientCall<ReqT, RespT> {
    private final MessageAttachments attachments;

    AttachingCall(ClientCall<ReqT, RespT> call, MessageAttachments attachments) {
      super(call);
      this.attachments = attachments;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
      super.start(new SimpleForwardingClientCallListener<>(listener) {
        @Override
        public void onMessage(RespT message) {
          attachments.received(message);
          super.onMessage(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          attachments.close();
          super.onClose(status, trailers);
        }
      }, headers);
    }

    @Override
    public void sendMessage(ReqT message) {
      attachments.sending(message);
      super.sendMessage(message);
    }
  }
}
