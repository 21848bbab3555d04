package dev.plumb.shared;

import dev.plumb.rpc.attach.Attachment;
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
import java.util.List;

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
        attachments);
  }

  private static final class AttachingCall<ReqT, RespT>
      extends SimpleForwardingClientCall<ReqT, RespT> {
    private final CallAttachments attachments;
    /** Requests sent so far; gRPC calls sendMessage from one thread at a time. */
    private int sent;

    AttachingCall(ClientCall<ReqT, RespT> call, CallAttachments attachments) {
      super(call);
      this.attachments = attachments;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
      super.start(new SimpleForwardingClientCallListener<>(listener) {
        /** Responses delivered so far; gRPC delivers them one at a time. */
        private int received;

        @Override
        public void onMessage(RespT message) {
          ReceivedBindings.bind(message, attachments.claim(received++));
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
      List<Attachment> found = OutboundAttachments.of(message);
      if (!found.isEmpty()) {
        attachments.queue(sent, found);
      }
      sent++;
      super.sendMessage(message);
    }
  }
}
