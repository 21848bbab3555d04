package dev.plumb.shared;

import dev.plumb.rpc.attach.CallAttachments;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * A Plumb server's interceptor: binds the buffers that arrive with each request to it, queues
 * each response's buffers as attachments of the call ({@link CallAttachments}, which the
 * stream shows in the call's attributes), and closes what is left when the call ends. A call
 * whose messages cannot name shared buffers is not intercepted (a look-up cached per method),
 * and the core lets go of its attachments (a misbehaving peer's) when its stream ends.
 */
final class AttachingServerInterceptor implements ServerInterceptor {
  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (!AttachedTypes.mayAttach(call.getMethodDescriptor())) {
      return next.startCall(call, headers);
    }
    CallAttachments attachments = call.getAttributes().get(CallAttachments.ATTRIBUTE);
    if (attachments == null) {
      return next.startCall(call, headers);
    }
    MessageAttachments messages = new MessageAttachments(attachments);
    ServerCall.Listener<ReqT> listener =
        next.startCall(new AttachingCall<>(call, messages), headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(ReqT message) {
        messages.received(message);
        super.onMessage(message);
      }

      @Override
      public void onComplete() {
        messages.close();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        messages.close();
        super.onCancel();
      }
    };
  }

  private static final class AttachingCall<ReqT, RespT>
      extends SimpleForwardingServerCall<ReqT, RespT> {
    private final MessageAttachments messages;

    AttachingCall(ServerCall<ReqT, RespT> call, MessageAttachments messages) {
      super(call);
      this.messages = messages;
    }

    @Override
    public void sendMessage(RespT message) {
      messages.sending(message);
      super.sendMessage(message);
    }
  }
}
