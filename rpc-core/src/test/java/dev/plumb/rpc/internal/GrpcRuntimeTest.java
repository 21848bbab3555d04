package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MetricRecorder;
import io.grpc.ServerStreamTracer;
import io.grpc.internal.InternalServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The supported grpc-java range and the compatibility layer's two shapes. */
@Timeout(10)
class GrpcRuntimeTest {
  @ParameterizedTest
  @ValueSource(strings = {"1.79.0", "1.80.1", "1.85.0", "1.85.1", "1.85.2-SNAPSHOT"})
  void versionsInTheRangeAreAccepted(String version) {
    assertNull(GrpcRuntime.problemWith(version, "0.1.0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.78.0", "1.7.9", "1.86.0", "1.86.0-SNAPSHOT", "2.80.0", "1.x", ""})
  void versionsOutsideTheRangeAreRefusedNamingIt(String version) {
    String problem = GrpcRuntime.problemWith(version, "0.1.0");
    assertEquals("Plumb 0.1.0 runs with grpc-java 1.79.0 to 1.85.x, but the class path has "
        + "grpc-java " + version + " (io.grpc:grpc-core); choose a grpc-bom version in that "
        + "range (docs/USING.md)", problem);
  }

  @Test
  void anUnknownVersionIsRefused() {
    String problem = GrpcRuntime.problemWith(null, null);
    assertNotNull(problem);
    assertTrue(problem.startsWith("Plumb runs with grpc-java 1.79.0 to 1.85.x, but the class "
        + "path has grpc-java of an unknown version"), problem);
  }

  /** The version read at run time is the one the build put on the test class path. */
  @Test
  void readsTheLoadedGrpcCoreVersion() {
    String expected = System.getProperty("grpcVersionUnderTest");
    assertNotNull(expected, "surefire passes grpcVersionUnderTest");
    assertEquals(expected, GrpcRuntime.loadedGrpcVersion());
    GrpcRuntime.requireSupported();
  }

  /** Whichever method gRPC's ServerImplBuilder calls, the server is built the same way. */
  @Test
  void bothShapesOfTheServersBuilderBuildTheServer() {
    List<List<? extends ServerStreamTracer.Factory>> seen = new ArrayList<>();
    InternalServer server = new PlumbInternalServer(null, List.of(), ProtocolSettings.DEFAULTS,
        ConnectionLimits.defaults(attributes -> "peer"), List.of());
    TransportServersBuilder builder = new TransportServersBuilder(tracers -> {
      seen.add(tracers);
      return server;
    });
    List<ServerStreamTracer.Factory> tracers = List.of();
    assertEquals(server, builder.buildClientTransportServers(tracers));
    assertEquals(server, builder.buildClientTransportServers(tracers, new MetricRecorder() {}));
    assertEquals(List.of(tracers, tracers), seen);
  }
}
