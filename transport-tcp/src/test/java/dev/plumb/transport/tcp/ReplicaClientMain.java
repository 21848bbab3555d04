package dev.plumb.transport.tcp;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A client in a JVM of its own, for tests whose name lookups must be that JVM's
 * ({@code -Djdk.net.hosts.file}) or whose class path lacks grpc-java's HTTP/2 transports:
 * {@code ReplicaClientMain plumb|grpc}, then one command a line on stdin: {@code call TARGET}
 * makes one {@code ServerInfo} call on a channel to {@code TARGET} with {@link RoundRobin}'s
 * service config (made at its first call, by {@code PlumbChannelBuilder.forTarget} or by
 * {@code Grpc.newChannelBuilder}) and prints {@code OK <server pid>},
 * {@code FAILED <code> <description>}, or {@code FAILED TO BUILD <exception>} if the channel
 * could not be made. Ends at the end of stdin.
 */
public final class ReplicaClientMain {
  private ReplicaClientMain() {}

  public static void main(String[] args) throws Exception {
    boolean grpc = args[0].equals("grpc");
    Map<String, ManagedChannel> channels = new HashMap<>();
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = commands.readLine()) != null) {
        String target = line.substring("call ".length());
        String answer;
        try {
          ManagedChannel channel = channels.computeIfAbsent(target, t -> grpc
              ? Grpc.newChannelBuilder(t, InsecureChannelCredentials.create())
                  .defaultServiceConfig(RoundRobin.serviceConfig()).build()
              : PlumbChannelBuilder.forTarget(t)
                  .defaultServiceConfig(RoundRobin.serviceConfig()).build());
          answer = "OK " + ConformanceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(ServerAnswers.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
              .serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
        } catch (StatusRuntimeException e) {
          answer = "FAILED " + e.getStatus().getCode() + " " + e.getStatus().getDescription();
        } catch (RuntimeException e) {
          answer = "FAILED TO BUILD " + e;
        }
        System.out.println(answer.replace('\n', ' '));
        System.out.flush();
      }
    } finally {
      for (ManagedChannel channel : channels.values()) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
