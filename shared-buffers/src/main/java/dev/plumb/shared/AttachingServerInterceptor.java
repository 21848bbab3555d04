package dev.plumb.shared;

import dev.plumb.rpc.attach.Attachment;
import dev.plumb.rpc.attach.CallAttachments;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;

/**
 * A Plumb server's interceptor: binds the buffers that arrive with each request to it, queues
 * each response's buffers as attachments of the call ({@link CallAttachments}, which the
 * stream shows in the call's attributes), and closes what is left when the call ends. A call
 * whose messages cannot name shared buffers is not intercepted, and its attachments (a
 * misbehaving peer's) are closed as they arrive.
 */
final class AttachingServerInterceptor implements ServerInterceptor {
  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    CallAttachments attachments = call.getAttributes().get(CallAttachments.ATTRIBUTE);
    if (attachments == null) {
      return next.startCall(call, headers);
    }
    if (!AttachedTypes.mayAttach(call.getMethodDescriptor())) {
      attachments.close();
      return next.startCall(call, headers);
    }
    ServerCall.Listener<ReqT> listener =
        next.startCall(new AttachingCall<>(call, attachments), headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      /** Requests delivered so far; gRPC delivers them one at a time. */
      private int received;

      @Override
      public void onMessage(ReqT message) {
        ReceivedBindings.bind(message, attachments.claim(received++));
        super.onMessage(message);
      }

      @Override
      public void onComplete() {
        attachments.close();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        attachments.close();
        super.onCancel();
      }
    };
  }

  private static final class AttachingCall<ReqT, RespT>
      extends SimpleForwardingServerCall<ReqT, RespT> {
    private final CallAttachments attachments;
    /** Responses sent so far; gRPC calls sendMessage from one thread at a time. */
    private int sent;

    AttachingCall(ServerCall<ReqT, RespT> call, CallAttachments attachments) {
      super(call);
      this.attachments = attachments;
    }

    @Override
    public void sendMessage(RespT message) {
      List<Attachment> found = OutboundAttachments.of(message);
      if (!found.isEmpty()) {
        attachments.queue(sent, found);
      }
      sent++;
      super.sendMessage(message);
    }
  }
}
