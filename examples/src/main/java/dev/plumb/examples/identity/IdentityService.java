package dev.plumb.examples.identity;

import dev.plumb.rpc.PeerCredentials;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.net.SocketAddress;

/**
 * Peer identity: {@code WhoAmI} answers with the caller's pid, uid and gid as the transport
 * reported them ({@code unix:} from the socket's peer credentials, {@code pipe:} from the
 * process at the other end of the pipe), through {@link PeerIdentityInterceptor}. Where the
 * transport cannot know them ({@code tcp:}) the fields are left unset rather than guessed.
 * The service binds itself with the interceptor, so any server that adds it gets both.
 */
public final class IdentityService implements BindableService {
  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(new Impl(), new PeerIdentityInterceptor());
  }

  private static final class Impl extends IdentityGrpc.IdentityImplBase {
    @Override
    public void whoAmI(WhoAmIRequest request, StreamObserver<Caller> response) {
      Caller.Builder caller = Caller.newBuilder().setServerPid(ProcessHandle.current().pid());
      PeerCredentials peer = PeerIdentityInterceptor.PEER.get();
      if (peer != null) {
        peer.pid().ifPresent(caller::setPid);
        peer.uid().ifPresent(caller::setUid);
        peer.gid().ifPresent(caller::setGid);
      }
      SocketAddress remote = PeerIdentityInterceptor.REMOTE_ADDRESS.get();
      if (remote != null) {
        caller.setRemoteAddress(remote.toString());
      }
      response.onNext(caller.build());
      response.onCompleted();
    }
  }
}
