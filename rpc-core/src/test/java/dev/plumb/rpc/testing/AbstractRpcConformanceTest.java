package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.plumb.rpc.testing.RecordingCalls.nextResponse;
import static dev.plumb.rpc.testing.RecordingCalls.queueListener;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.proto.testing.OutcomeResponse;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.proto.testing.ShutdownRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The RPC scenarios every Plumb transport must pass: all four call kinds, metadata, statuses,
 * deadlines, cancellation both ways, large messages, many concurrent calls, flow control with a
 * slow consumer, peer death, graceful and forced shutdown. A transport's subclass names a listen
 * address and says whether the server runs in its own process (it should, where the transport
 * crosses processes by nature).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractRpcConformanceTest {
  private static final int MAX_MESSAGE = 4 * 1024 * 1024;

  /**
   * A server process is shared by the tests of a class (a JVM start costs more than most
   * tests); a test that kills or stops it leaves it dead, and the next test starts another.
   */
  private static ServerProcess sharedProcess;

  protected final Cleanup cleanup = new Cleanup();
  private Server server;
  /** The address the server reported, or the spawning target of {@code pipe:}. */
  private String served;
  protected ManagedChannel channel;
  protected ConformanceGrpc.ConformanceBlockingStub blocking;
  protected ConformanceGrpc.ConformanceStub async;

  /** A fresh address for a server to listen on (port 0, a new path or name). */
  protected abstract String listenAddress();

  /** Whether the server runs in a child JVM; in-JVM transports return false. */
  protected abstract boolean serverInSeparateProcess();

  /**
   * For transports whose client starts the server itself ({@code pipe:}): the target that does
   * so, running {@link ConformanceServerMain} with {@code serverOptions}. Null (the default)
   * for transports that connect to a listening server.
   */
  protected String clientSpawnedTarget(String... serverOptions) {
    return null;
  }

  /**
   * The target a client uses for a server that reported {@code address}: the address itself,
   * unless the subclass adds options of the client's own (a latency mode, say).
   */
  protected String clientTarget(String address) {
    return address;
  }

  /**
   * Options of {@link ConformanceServerMain} for every server this suite starts besides the ones
   * a test adds (e.g. {@link ConformanceServerMain#TLS}); none by default.
   */
  protected List<String> serverOptions() {
    return List.of();
  }

  /**
   * The builder of every channel this suite opens to {@code target}: a plaintext
   * {@link PlumbChannelBuilder} unless the subclass secures it (TLS credentials, say).
   */
  protected ManagedChannelBuilder<?> channelBuilder(String target) {
    return PlumbChannelBuilder.forTarget(target);
  }

  @BeforeEach
  void startServerAndChannel() throws Exception {
    served = clientSpawnedTarget() != null ? clientSpawnedTarget() : startServer(listenAddress());
    channel = cleanup.add(channelBuilder(clientTarget(served)).build());
    blocking = ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    async = ConformanceGrpc.newStub(channel);
  }

  @AfterEach
  void closeEverything() throws Exception {
    cleanup.close();
  }

  @AfterAll
  static void stopSharedServer() throws Exception {
    if (sharedProcess != null) {
      sharedProcess.close();
      sharedProcess = null;
    }
  }

  private String startServer(String listen) throws Exception {
    if (serverInSeparateProcess()) {
      if (sharedProcess == null || !sharedProcess.isAlive()) {
        if (sharedProcess != null) {
          sharedProcess.close();
        }
        sharedProcess = ServerProcess.start(listen, serverOptions().toArray(String[]::new));
      }
      return sharedProcess.address();
    }
    server = cleanup.add(ConformanceServerMain.start(listen, serverOptions()));
    return server.getListenSockets().get(0).toString();
  }

  /** The server's process, found by asking the server: works wherever it runs. */
  private ProcessHandle serverProcess() {
    long pid = blocking.serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
    return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
  }

  /** SIGKILL: the server dies as in a crash; returns once the channel has noticed. */
  private void killServer() throws Exception {
    ProcessHandle process = serverProcess();
    CountDownLatch noticed = new CountDownLatch(1);
    assertEquals(ConnectivityState.READY, channel.getState(false));
    channel.notifyWhenStateChanged(ConnectivityState.READY, noticed::countDown);
    process.destroyForcibly();
    process.onExit().get(10, TimeUnit.SECONDS);
    assertTrue(noticed.await(10, TimeUnit.SECONDS), "the channel did not notice within 10 s");
  }

  private static String tag() {
    return UUID.randomUUID().toString();
  }

  private OutcomeResponse outcome(String tag, OutcomeRequest.Until until) {
    return blocking.outcome(OutcomeRequest.newBuilder().setTag(tag).setUntil(until)
        .setWaitMillis(10_000).build());
  }

  // ---- the four call kinds ------------------------------------------------------------------

  @Test
  void unaryEchoesThePayload() {
    ByteString payload = ByteString.copyFromUtf8("hello, plumb");
    EchoResponse response = blocking.unary(EchoRequest.newBuilder().setPayload(payload).build());
    assertEquals(payload, response.getPayload());
  }

  @Test
  void serverStreamingDeliversEveryResponseInOrder() {
    Iterator<EchoResponse> responses = blocking.serverStream(
        EchoRequest.newBuilder().setResponseCount(500).setResponseSize(100).build());
    int expected = 0;
    while (responses.hasNext()) {
      EchoResponse response = responses.next();
      assertEquals(expected++, response.getSequence());
      assertEquals(100, response.getPayload().size());
    }
    assertEquals(500, expected);
  }

  @Test
  void clientStreamingCountsEveryRequest() throws Exception {
    CompletableFuture<EchoResponse> result = new CompletableFuture<>();
    StreamObserver<EchoRequest> requests = async.clientStream(observer(result));
    for (int i = 0; i < 300; i++) {
      requests.onNext(EchoRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[i])).build());
    }
    requests.onCompleted();
    assertEquals(300, result.get(30, TimeUnit.SECONDS).getSequence());
  }

  @Test
  void bidiStreamingPingPongsInOrder() throws Exception {
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    StreamObserver<EchoRequest> requests = async.bidi(queueObserver(received));
    for (int i = 0; i < 100; i++) {
      ByteString payload = ByteString.copyFromUtf8("message " + i);
      requests.onNext(EchoRequest.newBuilder().setPayload(payload).build());
      EchoResponse response = (EchoResponse) received.poll(10, TimeUnit.SECONDS);
      assertNotNull(response, "no echo for message " + i);
      assertEquals(payload, response.getPayload());
      assertEquals(i, response.getSequence());
    }
    requests.onCompleted();
    assertEquals(Status.Code.OK, ((Status) received.poll(10, TimeUnit.SECONDS)).getCode());
  }

  // ---- metadata and status ------------------------------------------------------------------

  @Test
  void metadataTravelsBothWays() {
    Metadata.Key<String> text = Metadata.Key.of("echo-text", Metadata.ASCII_STRING_MARSHALLER);
    Metadata.Key<byte[]> binary = Metadata.Key.of("echo-data-bin", Metadata.BINARY_BYTE_MARSHALLER);
    byte[] bytes = {0, 1, (byte) 0xff, (byte) 0x80, '\n', 0};
    Metadata request = new Metadata();
    request.put(text, "some value");
    request.put(binary, bytes);
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    blocking.withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(request),
            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
        .unary(EchoRequest.getDefaultInstance());
    assertEquals("some value", headers.get().get(text));
    assertArrayEquals(bytes, headers.get().get(binary));
    assertEquals("some value", trailers.get().get(text));
    assertArrayEquals(bytes, trailers.get().get(binary));
  }

  @Test
  void statusCodesAndMessagesArriveExactly() {
    String message = "nö – 状态 ✓ \"quoted\" %25 \n second line";
    for (Status.Code code : new Status.Code[] {Status.Code.INVALID_ARGUMENT,
        Status.Code.NOT_FOUND, Status.Code.PERMISSION_DENIED, Status.Code.INTERNAL,
        Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAUTHENTICATED}) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> blocking.unary(EchoRequest.newBuilder()
              .setFailCode(code.value()).setFailMessage(message).build()));
      assertEquals(code, e.getStatus().getCode());
      assertEquals(message, e.getStatus().getDescription());
    }
  }

  @Test
  void unknownMethodAndServiceAreUnimplemented() {
    for (String method : new String[] {"plumb.testing.v1.Conformance/NoSuchMethod",
        "plumb.testing.v1.NoSuchService/Unary"}) {
      MethodDescriptor<InputStream, InputStream> descriptor =
          MethodDescriptor.<InputStream, InputStream>newBuilder()
              .setType(MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(method)
              .setRequestMarshaller(RawMarshaller.INSTANCE)
              .setResponseMarshaller(RawMarshaller.INSTANCE)
              .build();
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> ClientCalls.blockingUnaryCall(channel, descriptor,
              CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
              new ByteArrayInputStream(new byte[0])));
      assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode(), method);
    }
  }

  // ---- deadlines and cancellation ------------------------------------------------------------

  @Test
  void clientDeadlineEndsTheCallOnBothSides() {
    // A connected channel, so the short deadline is spent on the call, not on connecting.
    blocking.unary(EchoRequest.getDefaultInstance());
    String tag = tag();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ConformanceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
            .hang(EchoRequest.newBuilder().setTag(tag).build()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    OutcomeResponse outcome = outcome(tag, OutcomeRequest.Until.END);
    assertEquals("cancelled", outcome.getState());
    // The deadline travelled: the server knew it from the start of the call.
    assertTrue(outcome.getDeadlineMillis() >= 0 && outcome.getDeadlineMillis() <= 300,
        "server saw deadline " + outcome.getDeadlineMillis() + " ms");
  }

  @Test
  void cancelBeforeTheFirstResponseReachesTheServer() throws Exception {
    String tag = tag();
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    ClientCall<EchoRequest, EchoResponse> call = startHang(tag, received);
    // The call is running on the server once Outcome knows its tag.
    awaitRunning(tag);
    call.cancel("test cancels", null);
    assertEquals(Status.Code.CANCELLED, ((Status) received.poll(10, TimeUnit.SECONDS)).getCode());
    assertEquals("cancelled", outcome(tag, OutcomeRequest.Until.END).getState());
  }

  @Test
  void cancelAfterTheFirstResponseReachesTheServer() throws Exception {
    String tag = tag();
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    ClientCall<EchoRequest, EchoResponse> call =
        channel.newCall(ConformanceGrpc.getBidiMethod(), CallOptions.DEFAULT);
    call.start(queueListener(received), new Metadata());
    call.request(10);
    call.sendMessage(EchoRequest.newBuilder().setTag(tag).build());
    nextResponse(received);
    call.cancel("test cancels after the first response", null);
    assertEquals(Status.Code.CANCELLED, ((Status) received.poll(10, TimeUnit.SECONDS)).getCode());
    assertEquals("cancelled", outcome(tag, OutcomeRequest.Until.END).getState());
  }

  @Test
  void serverCancellationReachesTheClient() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> blocking.unary(EchoRequest.newBuilder()
            .setFailCode(Status.Code.CANCELLED.value()).setFailMessage("server gave up").build()));
    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
    assertEquals("server gave up", e.getStatus().getDescription());
  }

  private void awaitRunning(String tag) {
    assertEquals("running", outcome(tag, OutcomeRequest.Until.ARRIVAL).getState(),
        "call " + tag + " did not reach the server within 10 s");
  }

  // ---- sizes and concurrency -----------------------------------------------------------------

  @Test
  void largeMessagesNearTheLimitGoThrough() {
    byte[] bytes = new byte[MAX_MESSAGE - 64];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    ByteString payload = ByteString.copyFrom(bytes);
    EchoResponse response = blocking.unary(EchoRequest.newBuilder().setPayload(payload).build());
    assertEquals(payload, response.getPayload());
  }

  @Test
  void requestOverTheServerLimitIsResourceExhausted() {
    ByteString payload = ByteString.copyFrom(new byte[MAX_MESSAGE + 1]);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> blocking.unary(EchoRequest.newBuilder().setPayload(payload).build()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getMessage());
    // The connection and the server survive it.
    assertEquals(ByteString.EMPTY, blocking.unary(EchoRequest.getDefaultInstance()).getPayload());
  }

  @Test
  void responseOverTheClientLimitIsResourceExhausted() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> blocking.unary(EchoRequest.newBuilder().setResponseSize(MAX_MESSAGE + 1).build()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getMessage());
    assertEquals(ByteString.EMPTY, blocking.unary(EchoRequest.getDefaultInstance()).getPayload());
  }

  @Test
  void oversizedMetadataIsRejectedAndTheConnectionSurvives() {
    Metadata big = new Metadata();
    big.put(Metadata.Key.of("echo-big", Metadata.ASCII_STRING_MARSHALLER), "x".repeat(20_000));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> blocking.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(big))
            .unary(EchoRequest.getDefaultInstance()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getMessage());
    assertEquals(ByteString.EMPTY, blocking.unary(EchoRequest.getDefaultInstance()).getPayload());
  }

  @Test
  void aThousandConcurrentCallsOnOneConnection() throws Exception {
    List<CompletableFuture<EchoResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      CompletableFuture<EchoResponse> result = new CompletableFuture<>();
      async.unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("call " + i))
          .build(), observer(result));
      calls.add(result);
    }
    for (int i = 0; i < calls.size(); i++) {
      assertEquals("call " + i, calls.get(i).get(30, TimeUnit.SECONDS).getPayload().toStringUtf8());
    }
  }

  /**
   * Blocking callers on more threads than the machine lets wait awake for their responses
   * (half its processors; the others park at once, as gRPC's blocking stub does): every call
   * gets its own answer, whichever way its caller waited.
   */
  @Test
  void blockingCallsFromManyThreadsEachGetTheirOwnAnswer() throws Exception {
    int threads = 2 * Runtime.getRuntime().availableProcessors() + 2;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String name = "thread " + t;
        callers.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            String payload = name + " call " + i;
            assertEquals(payload, blocking.unary(EchoRequest.newBuilder()
                .setPayload(ByteString.copyFromUtf8(payload)).build())
                .getPayload().toStringUtf8());
          }
        }));
      }
      for (Future<?> caller : callers) {
        caller.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Blocking calls on a {@code directExecutor()} channel while another stream of the same
   * connection streams responses to it. Where the transport lets a blocking caller read its own
   * answer ({@code shm:}), that caller also delivers the other stream's frames while it waits,
   * and the stream's listener runs on the caller's thread: the stream's responses still arrive
   * whole and in order, and every blocking call gets its own answer.
   */
  @Test
  void blockingCallsWhileAnotherStreamFlowsLeaveThatStreamInOrder() throws Exception {
    ManagedChannel direct = cleanup.add(channelBuilder(clientTarget(served)).directExecutor()
        .build());
    ConformanceGrpc.ConformanceBlockingStub caller = ConformanceGrpc.newBlockingStub(direct)
        .withDeadlineAfter(30, TimeUnit.SECONDS);
    int count = 5_000;
    AtomicInteger next = new AtomicInteger();
    AtomicReference<String> disorder = new AtomicReference<>();
    CompletableFuture<Void> streamed = new CompletableFuture<>();
    ConformanceGrpc.newStub(direct).serverStream(EchoRequest.newBuilder().setResponseCount(count)
        .setResponseSize(64).build(), new StreamObserver<>() {
          @Override
          public void onNext(EchoResponse response) {
            int expected = next.getAndIncrement();
            if (response.getSequence() != expected || response.getPayload().size() != 64) {
              disorder.compareAndSet(null, "response " + response.getSequence() + " of "
                  + response.getPayload().size() + " bytes where " + expected + " was due");
            }
          }

          @Override
          public void onError(Throwable t) {
            streamed.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            streamed.complete(null);
          }
        });
    int calls = 0;
    while (!streamed.isDone() || calls == 0) {
      String payload = "call " + calls++;
      assertEquals(payload, caller.unary(EchoRequest.newBuilder()
          .setPayload(ByteString.copyFromUtf8(payload)).build()).getPayload().toStringUtf8());
    }
    streamed.get(30, TimeUnit.SECONDS);
    assertEquals(null, disorder.get());
    assertEquals(count, next.get());
  }

  /**
   * Streams at once, each sending messages of many sizes (most spanning several frames, some
   * split at a flow-control window's edge) with bytes of their own: every byte comes back in
   * its place. Payload arrays are pooled and lent again, so one given back too early would
   * show here as another message's bytes.
   */
  @Test
  void concurrentStreamsOfLargeMessagesKeepEveryByte() throws Exception {
    int streams = 4;
    int messages = 24;
    List<BlockingQueue<Object>> echoes = new ArrayList<>();
    List<StreamObserver<EchoRequest>> senders = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      BlockingQueue<Object> received = new LinkedBlockingQueue<>();
      echoes.add(received);
      senders.add(async.bidi(queueObserver(received)));
    }
    for (int i = 0; i < messages; i++) {
      for (int s = 0; s < streams; s++) {
        senders.get(s).onNext(EchoRequest.newBuilder().setPayload(patterned(s, i)).build());
      }
    }
    senders.forEach(StreamObserver::onCompleted);
    for (int s = 0; s < streams; s++) {
      for (int i = 0; i < messages; i++) {
        EchoResponse echo = nextResponse(echoes.get(s));
        assertEquals(i, echo.getSequence());
        assertTrue(patterned(s, i).equals(echo.getPayload()),
            "stream " + s + ", message " + i + ": bytes differ from those sent");
      }
      assertEquals(Status.Code.OK, ((Status) echoes.get(s).poll(10, TimeUnit.SECONDS)).getCode());
    }
  }

  /**
   * Large messages the application keeps until its call has ended keep their bytes, while the
   * arrays they arrived in are lent again for the frames after them: a message that went on
   * sharing a pooled receive array once parsed would show a later message's bytes here.
   * Messages of one frame (40 KiB) and of several (200 KiB) take turns.
   */
  @Test
  void keptLargeMessagesKeepTheirBytesWhileReceiveArraysAreLentAgain() throws Exception {
    int messages = 32;
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    StreamObserver<EchoRequest> requests = async.bidi(queueObserver(received));
    for (int i = 0; i < messages; i++) {
      requests.onNext(EchoRequest.newBuilder().setPayload(kept(i)).build());
    }
    requests.onCompleted();
    List<EchoResponse> echoes = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      echoes.add(nextResponse(received));
    }
    assertEquals(Status.Code.OK, ((Status) received.poll(10, TimeUnit.SECONDS)).getCode());
    for (int i = 0; i < messages; i++) {
      assertTrue(kept(i).equals(echoes.get(i).getPayload()),
          "message " + i + ": its bytes changed after it was received");
    }
  }

  /** Message {@code i}: 40 KiB or 200 KiB, bytes of its own. */
  private static ByteString kept(int i) {
    byte[] bytes = new byte[i % 2 == 0 ? 40 * 1024 : 200 * 1024];
    for (int k = 0; k < bytes.length; k++) {
      bytes[k] = (byte) (k * 7 + i * 101);
    }
    return ByteString.copyFrom(bytes);
  }

  /** Message {@code i} of stream {@code s}: up to 200 KiB, bytes that depend on both. */
  private static ByteString patterned(int s, int i) {
    byte[] bytes = new byte[1 + (s * 7919 + i * 104_729) % (200 * 1024)];
    for (int k = 0; k < bytes.length; k++) {
      bytes[k] = (byte) (k * 31 + s * 17 + i * 13);
    }
    return ByteString.copyFrom(bytes);
  }

  // ---- flow control -------------------------------------------------------------------------

  @Test
  void slowConsumerHoldsTheProducerBackWithBoundedMemory() throws Exception {
    String tag = tag();
    int size = 64 * 1024;
    int count = 200;
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    ClientCall<EchoRequest, EchoResponse> call =
        channel.newCall(ConformanceGrpc.getServerStreamMethod(), CallOptions.DEFAULT);
    call.start(queueListener(received), new Metadata());
    call.sendMessage(EchoRequest.newBuilder().setTag(tag).setResponseCount(count)
        .setResponseSize(size).build());
    call.halfClose();
    call.request(2);
    OutcomeResponse held = outcome(tag, OutcomeRequest.Until.PRODUCER_BLOCKED);
    assertTrue(held.getProducerBlocked(), "producer never blocked: " + held);
    // Stream window (1 MiB) plus gRPC's 32 KiB on-ready threshold, in 64 KiB messages, with
    // slack for the messages in flight: far below the 200 the producer wanted to send.
    assertTrue(held.getMessagesSent() <= 40, "producer was not held back: " + held);
    call.request(count);
    for (int i = 0; i < count; i++) {
      assertEquals(i, nextResponse(received).getSequence());
    }
    assertEquals(Status.Code.OK, ((Status) received.poll(10, TimeUnit.SECONDS)).getCode());
  }

  /**
   * A common application pattern with {@code directExecutor()} on both sides: one application
   * lock guards a bidi stream's sending side; the sending thread holds it around
   * {@code onNext} and waits on it while the call is not ready, and the {@code onReady}
   * handler takes it to wake the sender. A transport that runs {@code onReady} while holding a
   * lock that {@code onNext} also needs deadlocks it as soon as the send window runs out.
   */
  @Test
  void directExecutorSenderHoldingItsLockAroundOnNextNeverDeadlocksWithOnReady()
      throws Exception {
    String directTarget = clientSpawnedTarget() != null
        ? clientSpawnedTarget(ConformanceServerMain.DIRECT_EXECUTOR)
        : startDirectExecutorServer();
    // Not handed to cleanup until the calls are done: shutting down a deadlocked channel
    // would block this thread for good instead of failing the test.
    ManagedChannel direct =
        channelBuilder(clientTarget(directTarget)).directExecutor().build();
    // 16-byte payloads, several connection windows' worth of them each way.
    int messages = 200_000;
    EchoRequest request =
        EchoRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[16])).build();
    Object applicationLock = new Object();
    AtomicInteger echoes = new AtomicInteger();
    CompletableFuture<Status> outcome = new CompletableFuture<>();
    AtomicReference<ClientCallStreamObserver<EchoRequest>> requests = new AtomicReference<>();
    ConformanceGrpc.newStub(direct).bidi(new ClientResponseObserver<EchoRequest, EchoResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<EchoRequest> call) {
        requests.set(call);
        call.setOnReadyHandler(() -> {
          synchronized (applicationLock) {
            applicationLock.notifyAll();
          }
        });
      }

      @Override
      public void onNext(EchoResponse value) {
        echoes.incrementAndGet();
      }

      @Override
      public void onError(Throwable t) {
        outcome.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        outcome.complete(Status.OK);
      }
    });
    Thread sender = new Thread(() -> {
      ClientCallStreamObserver<EchoRequest> call = requests.get();
      try {
        for (int i = 0; i < messages && !outcome.isDone(); i++) {
          synchronized (applicationLock) {
            while (!call.isReady() && !outcome.isDone()) {
              // Woken by onReady; the timeout only re-checks whether the call ended.
              applicationLock.wait(100);
            }
            call.onNext(request);
          }
        }
        synchronized (applicationLock) {
          call.onCompleted();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "direct-executor-sender");
    sender.setDaemon(true);
    sender.start();
    Status status;
    try {
      status = outcome.get(40, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("stalled after " + echoes.get() + " of " + messages
          + " echoes; the sender is " + sender.getState() + " at "
          + java.util.Arrays.toString(sender.getStackTrace()), e);
    }
    cleanup.add(direct);
    assertEquals(Status.Code.OK, status.getCode(), status.toString());
    assertEquals(messages, echoes.get());
  }

  private String startDirectExecutorServer() throws Exception {
    List<String> options = new ArrayList<>(serverOptions());
    options.add(ConformanceServerMain.DIRECT_EXECUTOR);
    if (!serverInSeparateProcess()) {
      Server directServer = cleanup.add(ConformanceServerMain.start(listenAddress(), options));
      return directServer.getListenSockets().get(0).toString();
    }
    return cleanup.add(ServerProcess.start(listenAddress(), options.toArray(String[]::new)))
        .address();
  }

  // ---- peer death and shutdown ---------------------------------------------------------------

  @Test
  void serverKilledMidCallFailsTheCallUnavailable() throws Exception {
    assumeTrue(serverInSeparateProcess(), "the server shares this JVM: it cannot be killed");
    String tag = tag();
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    startHang(tag, received);
    ProcessHandle process = serverProcess();
    awaitRunning(tag);
    process.destroyForcibly();
    Status status = (Status) received.poll(10, TimeUnit.SECONDS);
    assertNotNull(status, "the call did not fail within 10 s of the server's death");
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    // Until it is reaped the dead server still looks alive, and the next test would reuse it.
    process.onExit().get(10, TimeUnit.SECONDS);
  }

  @Test
  void channelReconnectsWhenTheServerComesBack() throws Exception {
    assumeTrue(serverInSeparateProcess(), "the server shares this JVM");
    blocking.unary(EchoRequest.getDefaultInstance());
    killServer();
    if (clientSpawnedTarget() == null) {
      ServerProcess restarted =
          cleanup.add(ServerProcess.start(served, serverOptions().toArray(String[]::new)));
      assertEquals(served, restarted.address());
    }
    EchoResponse response = ConformanceGrpc.newBlockingStub(channel)
        .withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("back")).build());
    assertEquals("back", response.getPayload().toStringUtf8());
  }

  @Test
  void gracefulShutdownDrainsCallsInFlight() throws Exception {
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    ClientCall<EchoRequest, EchoResponse> call =
        channel.newCall(ConformanceGrpc.getBidiMethod(), CallOptions.DEFAULT);
    call.start(queueListener(received), new Metadata());
    call.request(10);
    call.sendMessage(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("1")).build());
    nextResponse(received);
    ProcessHandle process = serverInSeparateProcess() ? serverProcess() : null;
    blocking.shutdown(ShutdownRequest.newBuilder().setNow(false).build());
    // The call in flight still works after the server stopped taking new ones.
    call.sendMessage(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("2")).build());
    EchoResponse second = nextResponse(received);
    assertEquals("2", second.getPayload().toStringUtf8());
    call.halfClose();
    Status status = (Status) received.poll(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.OK, status.getCode(), status.toString());
    assertTrue(process == null ? server.awaitTermination(10, TimeUnit.SECONDS)
        : process.onExit().get(10, TimeUnit.SECONDS) != null,
        "server did not finish after draining its last call");
  }

  @Test
  void forcedShutdownFailsCallsInFlight() throws Exception {
    String tag = tag();
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    startHang(tag, received);
    awaitRunning(tag);
    ProcessHandle process = serverInSeparateProcess() ? serverProcess() : null;
    blocking.shutdown(ShutdownRequest.newBuilder().setNow(true).build());
    Status status = (Status) received.poll(10, TimeUnit.SECONDS);
    assertNotNull(status, "the call did not fail within 10 s of the forced shutdown");
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    if (process != null) {
      process.onExit().get(10, TimeUnit.SECONDS);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Starts a Hang call tagged {@code tag}; what it receives goes to {@code received}. */
  private ClientCall<EchoRequest, EchoResponse> startHang(String tag,
      BlockingQueue<Object> received) {
    ClientCall<EchoRequest, EchoResponse> call =
        channel.newCall(ConformanceGrpc.getHangMethod(), CallOptions.DEFAULT);
    call.start(queueListener(received), new Metadata());
    call.sendMessage(EchoRequest.newBuilder().setTag(tag).build());
    call.halfClose();
    call.request(1);
    return call;
  }

  private static <T> StreamObserver<T> observer(CompletableFuture<T> result) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  /** Puts each response, then the final Status, into {@code queue}. */
  private static StreamObserver<EchoResponse> queueObserver(BlockingQueue<Object> queue) {
    return new StreamObserver<>() {
      @Override
      public void onNext(EchoResponse value) {
        queue.add(value);
      }

      @Override
      public void onError(Throwable t) {
        queue.add(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        queue.add(Status.OK);
      }
    };
  }

  /** Passes bytes through untouched, for calls to methods no stub knows. */
  private enum RawMarshaller implements MethodDescriptor.Marshaller<InputStream> {
    INSTANCE;

    @Override
    public InputStream stream(InputStream value) {
      return value;
    }

    @Override
    public InputStream parse(InputStream stream) {
      return stream;
    }
  }

}
