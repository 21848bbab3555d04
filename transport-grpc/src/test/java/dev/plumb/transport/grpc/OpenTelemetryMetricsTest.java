package dev.plumb.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * grpc-java's OpenTelemetry plugin ({@link GrpcOpenTelemetry}, grpc-opentelemetry) over a Plumb
 * connection: configured on a {@code tcp:} server and channel as on any gRPC server and channel,
 * it records every per-call metric it has by default, client and server, for each of
 * {@value #CALLS} calls, message sizes included. Nothing of it depends on HTTP/2: gRPC's stream
 * tracers, which Plumb's streams drive as grpc-netty's do, feed all of them.
 */
@Timeout(60)
class OpenTelemetryMetricsTest {
  private static final int CALLS = 5;
  /** The histograms of one value per call (an attempt, a call) and their counts. */
  private static final List<String> PER_CALL_HISTOGRAMS = List.of(
      "grpc.client.attempt.duration",
      "grpc.client.attempt.sent_total_compressed_message_size",
      "grpc.client.attempt.rcvd_total_compressed_message_size",
      "grpc.client.call.duration",
      "grpc.server.call.duration",
      "grpc.server.call.sent_total_compressed_message_size",
      "grpc.server.call.rcvd_total_compressed_message_size");
  private static final List<String> COUNTERS = List.of(
      "grpc.client.attempt.started",
      "grpc.server.call.started");

  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void recordsEveryDefaultPerCallMetricOverATcpConnection() throws Exception {
    CollectingReader reader = new CollectingReader();
    SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
    GrpcOpenTelemetry metrics = GrpcOpenTelemetry.newBuilder()
        .sdk(OpenTelemetrySdk.builder().setMeterProvider(meters).build()).build();
    try {
      PlumbServerBuilder serverBuilder = PlumbServerBuilder.forAddress("tcp://127.0.0.1:0")
          .addService(new CalculatorService());
      metrics.configureServerBuilder(serverBuilder);
      Server server = cleanup.add(serverBuilder.build().start());
      PlumbChannelBuilder channelBuilder = PlumbChannelBuilder.forTarget(
          server.getListenSockets().get(0).toString());
      metrics.configureChannelBuilder(channelBuilder);
      ManagedChannel channel = cleanup.add(channelBuilder.build());
      for (int i = 0; i < CALLS; i++) {
        CalculatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .add(Operands.newBuilder().setA(i).setB(i).build());
      }
      // The server records a call once it has ended there, which may come after the client
      // has its answer: shut both down, so that every call has ended on each side.
      channel.shutdown().awaitTermination(10, TimeUnit.SECONDS);
      server.shutdown().awaitTermination(10, TimeUnit.SECONDS);

      Map<String, MetricData> recorded = reader.collect().stream()
          .collect(Collectors.toMap(MetricData::getName, Function.identity()));
      for (String name : PER_CALL_HISTOGRAMS) {
        MetricData metric = recorded.get(name);
        assertTrue(metric != null && metric.getType() == MetricDataType.HISTOGRAM,
            name + " in " + recorded.keySet());
        List<HistogramPointData> points = List.copyOf(metric.getHistogramData().getPoints());
        assertEquals(CALLS, points.stream().mapToLong(HistogramPointData::getCount).sum(),
            name + ": " + points);
        assertTrue(points.stream().mapToDouble(HistogramPointData::getSum).sum() > 0,
            name + ": " + points);
      }
      for (String name : COUNTERS) {
        MetricData metric = recorded.get(name);
        assertTrue(metric != null && metric.getType() == MetricDataType.LONG_SUM,
            name + " in " + recorded.keySet());
        assertEquals(CALLS, metric.getLongSumData().getPoints().stream()
            .mapToLong(LongPointData::getValue).sum(), name);
      }
      // The calls are told apart by method, and their outcome, as over HTTP/2.
      HistogramPointData attempt = recorded.get("grpc.client.attempt.duration")
          .getHistogramData().getPoints().iterator().next();
      assertEquals("plumb.examples.calculator.Calculator/Add",
          attempt.getAttributes().get(AttributeKey.stringKey("grpc.method")), attempt.toString());
      assertEquals("OK", attempt.getAttributes().get(AttributeKey.stringKey("grpc.status")),
          attempt.toString());
    } finally {
      meters.close();
    }
  }

  /** Collects when asked, as a pull exporter would. */
  private static final class CollectingReader implements MetricReader {
    // Set once by the meter provider when the reader is registered, read by the test thread.
    private volatile CollectionRegistration registration;

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    List<MetricData> collect() {
      return List.copyOf(registration.collectAllMetrics());
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
