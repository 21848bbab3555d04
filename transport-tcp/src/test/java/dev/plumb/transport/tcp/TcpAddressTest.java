package dev.plumb.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.config.PlumbConfiguration;
import dev.plumb.rpc.registry.TransportRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TcpAddressTest {
  private static String canonical(String target) {
    return TransportRegistry.getDefault().parse(target).toString();
  }

  private static String error(String target) {
    return assertThrows(IllegalArgumentException.class, () -> canonical(target)).getMessage();
  }

  @Test
  void hostAndPort() {
    assertEquals("tcp://127.0.0.1:7000", canonical("tcp://127.0.0.1:7000"));
    assertEquals("tcp://127.0.0.1:7000", canonical("tcp://127.0.0.1:7000/"));
    assertEquals("tcp://[::1]:0", canonical("tcp://[::1]:0"));
  }

  @Test
  void anUnknownOptionIsNamedBesideTheOneTcpTakes() {
    String message = error("tcp://127.0.0.1:7000?keepAlive=10s");
    assertTrue(message.startsWith("'tcp://127.0.0.1:7000?keepAlive=10s': unknown option"
        + " 'keepAlive'"), message);
    assertTrue(message.contains("idle"), message);
    assertTrue(error("tcp://127.0.0.1:7000?tls").contains("unknown option 'tls'"));
  }

  @Test
  void idlePollIsKeptAndBlockIsTheDefault() {
    assertEquals("tcp://127.0.0.1:7000?idle=poll", canonical("tcp://127.0.0.1:7000?idle=poll"));
    assertEquals("tcp://127.0.0.1:7000", canonical("tcp://127.0.0.1:7000?idle=block"));
    String message = error("tcp://127.0.0.1:7000?idle=spin");
    assertTrue(message.contains("must be block (the default) or poll, not 'spin'"), message);
  }

  @Test
  void otherPartsNameTheAcceptedForm() {
    for (String target : new String[] {"tcp://127.0.0.1:7000/path", "tcp://127.0.0.1:7000#x",
        "tcp://user@127.0.0.1:7000", "tcp://127.0.0.1:7000?"}) {
      String message = error(target);
      assertTrue(message.contains("has parts a tcp: address does not take"), message);
      assertTrue(message.contains("expected tcp://HOST:PORT"), message);
    }
    assertTrue(error("tcp://127.0.0.1").contains("names no port"));
    assertTrue(error("tcp:7000").contains("names no host"));
  }

  @Test
  void aTargetMayListServersAndAServerListensOnOne() {
    assertEquals("tcp:///127.0.0.1:7000,db.internal:7001?idle=poll", TransportRegistry
        .getDefault().parseTarget("tcp://127.0.0.1:7000,db.internal:7001?idle=poll").toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbServerBuilder.forAddress("tcp://127.0.0.1:7000,127.0.0.2:7000"));
    assertTrue(e.getMessage().contains("lists 2 endpoints, where one address is taken"),
        e.getMessage());
    // In plumb.listen, a host after a comma reads as a new address, and is told what it lacks.
    e = assertThrows(IllegalArgumentException.class, () -> PlumbConfiguration.newLoader()
        .listen("tcp://a.internal:7000,b.internal:7000").load().serverBuilder());
    assertTrue(e.getMessage().contains("'b.internal:7000' looks like HOST:PORT, which is"
        + " tcp://b.internal:7000"), e.getMessage());
  }

  @Test
  void theTransportForIpAddressesTakesTcpsOptions() {
    PlumbChannelBuilder.forTarget("dns:///replicas:7000").ipTransport("tcp?idle=poll");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbChannelBuilder.forTarget("dns:///replicas:7000").ipTransport("tcp?idle=spin"));
    assertTrue(e.getMessage().contains("must be block (the default) or poll, not 'spin'"),
        e.getMessage());
  }
}
