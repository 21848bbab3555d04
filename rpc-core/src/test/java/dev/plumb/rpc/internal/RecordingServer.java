package dev.plumb.rpc.internal;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.internal.ServerStream;
import io.grpc.internal.ServerTransportListener;
import io.grpc.internal.StreamListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A server for the fuzz tests of a server session: it takes every call, asks for every message
 * and reads each one whole, and records how its callbacks ran: which ran under the session's
 * lock (none may), which calls started and how often each ended, the messages of each call,
 * and how often the transport terminated. The calls' streams stay reachable, so that a test can
 * play the application too.
 */
final class RecordingServer implements ServerTransportListener {
  SessionHarness harness;
  final List<String> underLock = new ArrayList<>();
  /** The started calls' streams, in the order they started. */
  final List<ServerStream> calls = new ArrayList<>();
  /** How often each started call ended (by stream id): exactly once, once the link is gone. */
  final Map<Integer, Integer> ends = new HashMap<>();
  /** The messages each call read, by stream id. */
  final Map<Integer, List<byte[]>> messages = new HashMap<>();
  int terminations;

  private void check(String callback) {
    if (harness != null && harness.sessionLockHeld()) {
      underLock.add(callback);
    }
  }

  @Override
  public void streamCreated(ServerStream stream, String method, Metadata headers) {
    check("streamCreated");
    calls.add(stream);
    ends.put(stream.streamId(), 0);
    List<byte[]> read = messages.computeIfAbsent(stream.streamId(), id -> new ArrayList<>());
    stream.setListener(new ServerStreamListenerAdapter() {
      @Override
      public void messagesAvailable(StreamListener.MessageProducer producer) {
        check("messagesAvailable");
        InputStream message;
        while ((message = producer.next()) != null) {
          try (InputStream in = message) {
            read.add(in.readAllBytes());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }

      @Override
      public void halfClosed() {
        check("halfClosed");
      }

      @Override
      public void closed(Status status) {
        check("closed");
        ends.merge(stream.streamId(), 1, Integer::sum);
      }

      @Override
      public void onReady() {
        check("onReady");
      }
    });
    stream.request(Integer.MAX_VALUE);
  }

  @Override
  public Attributes transportReady(Attributes attributes) {
    check("transportReady");
    return attributes;
  }

  @Override
  public void transportTerminated() {
    check("transportTerminated");
    terminations++;
  }
}
