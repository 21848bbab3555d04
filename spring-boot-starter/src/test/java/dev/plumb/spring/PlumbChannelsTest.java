package dev.plumb.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.spring.example.client.CalculatorClientApplication;
import dev.plumb.spring.example.server.CalculatorServerApplication;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/** The client side: named channels, injected, with their options, closed with the context. */
@Timeout(60)
class PlumbChannelsTest {
  @TempDir
  Path dir;

  @Test
  void theExampleClientCallsTheExampleServerOverItsInjectedChannel() throws Exception {
    String socket = "unix://" + dir.resolve("calc.sock");
    try (ConfigurableApplicationContext server = SpringApps.start(
        CalculatorServerApplication.class, "plumb.server.listen=" + socket)) {
      ManagedChannel channel;
      try (ConfigurableApplicationContext client = SpringApps.start(
          CalculatorClientApplication.class,
          "plumb.client.calculator.target=" + SpringApps.targets(server).get(0))) {
        CalculatorGrpc.CalculatorBlockingStub calculator =
            client.getBean(CalculatorGrpc.CalculatorBlockingStub.class);
        assertEquals(5, calculator.add(Operands.newBuilder().setA(2).setB(3).build())
            .getValue());

        PlumbChannels channels = client.getBean(PlumbChannels.class);
        assertEquals(Set.of("calculator"), channels.names());
        channel = channels.get("calculator");
        assertSame(channel, client.getBean(ManagedChannel.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> channels.get("calculater"));
        assertTrue(e.getMessage().contains("plumb.client.calculater.target"), e.getMessage());
        assertTrue(e.getMessage().contains("[calculator]"), e.getMessage());
      }
      // Closed with the client's context; the server's goes on.
      assertTrue(channel.isTerminated(), channel.toString());
      assertEquals(5, SpringApps.add(socket, 2, 3));
    }
  }

  @Test
  void eachClientIsItsOwnQualifiedBeanWithItsOptions() throws Exception {
    try (ConfigurableApplicationContext server = SpringApps.start(
        List.of(CalculatorServerApplication.class, GatedServer.class),
        "plumb.server.listen=unix://" + dir.resolve("calc.sock"))) {
      CallGate gate = server.getBean(CallGate.class);
      String target = SpringApps.targets(server).get(0);
      try (ConfigurableApplicationContext client = SpringApps.start(TwoClients.class,
          "plumb.client.patient.target=" + target,
          "plumb.client.hasty.target=" + target,
          "plumb.client.hasty.deadline=200ms",
          "plumb.client.hasty.direct-executor=true")) {
        TwoClients clients = client.getBean(TwoClients.class);
        // A call of the hasty client's that sets no deadline gets the client's; the gate
        // holds it past that.
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> CalculatorGrpc.newBlockingStub(clients.hasty)
                .add(Operands.newBuilder().setA(2).setB(3).build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        gate.open();
        assertEquals(5, SpringApps.add(clients.patient, 2, 3));
        assertEquals(5, SpringApps.add(clients.hasty, 2, 3));
        assertSame(client.getBean(PlumbChannels.class).get("hasty"), clients.hasty);
      }
    }
  }

  @Test
  void aClientWithoutTargetFailsTheStartNamingTheKey() {
    RuntimeException e = assertThrows(RuntimeException.class, () -> SpringApps.start(
        CalculatorClientApplication.class, "plumb.client.calculator.deadline=1s").close());
    String causes = "";
    for (Throwable t = e; t != null; t = t.getCause()) {
      causes += t.getMessage() + "\n";
    }
    assertTrue(causes.contains("plumb.client.calculator.target is not set"), causes);
  }

  /** Two clients injected by name. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class TwoClients {
    final ManagedChannel patient;
    final ManagedChannel hasty;

    TwoClients(@Qualifier("patient") ManagedChannel patient,
        @Qualifier("hasty") ManagedChannel hasty) {
      this.patient = patient;
      this.hasty = hasty;
    }
  }
}
