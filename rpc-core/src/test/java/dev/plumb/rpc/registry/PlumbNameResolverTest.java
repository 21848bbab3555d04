package dev.plumb.rpc.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.NameResolver;
import io.grpc.NameResolver.ResolutionResult;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the resolver looks a target up: once at start, on refresh as often as
 * {@code networkaddress.cache.ttl} allows after a success, at once after a failure, never two at
 * a time, and never on the synchronization context.
 */
@Timeout(10)
class PlumbNameResolverTest {
  private final TransportRegistry registry = HostPortTransport.registry();
  private final SynchronizationContext syncContext = new SynchronizationContext((thread, e) -> {
    throw new AssertionError(e);
  });
  /** Lookups waiting to run, as the offload executor would run them; run by the test. */
  private final Deque<Runnable> offloaded = new ArrayDeque<>();
  private final AtomicLong now = new AtomicLong();
  private final List<ResolutionResult> results = new ArrayList<>();
  private final Deque<String> answers = new ArrayDeque<>();
  private int lookups;

  private PlumbNameResolver resolver(long ttlSeconds) {
    return resolver(host -> {
      lookups++;
      String answer = answers.isEmpty() ? "127.0.0.1" : answers.poll();
      if (answer.isEmpty()) {
        throw new UnknownHostException(host);
      }
      return List.of(InetAddress.getByName(answer));
    }, ttlSeconds);
  }

  private PlumbNameResolver resolver(HostLookup hosts, long ttlSeconds) {
    PlumbTarget target = registry.parseTarget("hp://replicas:7000");
    NameResolver.Args args = NameResolver.Args.newBuilder()
        .setDefaultPort(7000)
        .setProxyDetector(address -> null)
        .setSynchronizationContext(syncContext)
        .setServiceConfigParser(new NameResolver.ServiceConfigParser() {
          @Override
          public NameResolver.ConfigOrError parseServiceConfig(Map<String, ?> config) {
            return NameResolver.ConfigOrError.fromConfig(config);
          }
        })
        .setOffloadExecutor(offloaded::add)
        .build();
    return new PlumbNameResolver(target, new TargetLookup(target, hosts, registry, false), args,
        new ReResolutionLimit(ttlSeconds, now::get));
  }

  private void start(PlumbNameResolver resolver) {
    syncContext.execute(() -> resolver.start(new NameResolver.Listener2() {
      @Override
      public void onResult(ResolutionResult result) {
        throw new AssertionError("onResult2 expected");
      }

      @Override
      public Status onResult2(ResolutionResult result) {
        syncContext.throwIfNotInThisSynchronizationContext();
        results.add(result);
        return Status.OK;
      }

      @Override
      public void onError(Status error) {
        throw new AssertionError("errors come as results");
      }
    }));
  }

  private void refresh(PlumbNameResolver resolver) {
    syncContext.execute(resolver::refresh);
  }

  /** Runs the waiting lookups, whose results come back through the synchronization context. */
  private void runLookups() {
    while (!offloaded.isEmpty()) {
      offloaded.poll().run();
    }
  }

  private String lastAddress() {
    return results.get(results.size() - 1).getAddressesOrError().getValue().get(0)
        .getAddresses().get(0).toString();
  }

  @Test
  void theLookupRunsOffTheSynchronizationContextAndItsResultComesBackThroughIt() {
    PlumbNameResolver resolver = resolver(30);
    start(resolver);
    assertEquals(0, lookups, "the lookup waits for the offload executor");
    assertEquals(1, offloaded.size());
    runLookups();
    assertEquals(1, results.size());
    assertEquals("hp://127.0.0.1:7000", lastAddress());
    assertEquals("replicas:7000", resolver.getServiceAuthority());
  }

  @Test
  void aRefreshWhileALookupRunsStartsNoOther() {
    PlumbNameResolver resolver = resolver(0);
    start(resolver);
    refresh(resolver);
    refresh(resolver);
    assertEquals(1, offloaded.size());
    runLookups();
    assertEquals(1, lookups);
  }

  @Test
  void afterASuccessARefreshWaitsForTheTtl() {
    PlumbNameResolver resolver = resolver(30);
    start(resolver);
    runLookups();
    now.addAndGet(29_000_000_000L);
    refresh(resolver);
    assertTrue(offloaded.isEmpty(), "within 30 s of a success");
    now.addAndGet(2_000_000_000L);
    answers.add("127.0.0.2");
    refresh(resolver);
    runLookups();
    assertEquals(2, lookups);
    assertEquals("hp://127.0.0.2:7000", lastAddress());
  }

  @Test
  void withATtlOfZeroEveryRefreshLooksUpAndANegativeOneNeverAgain() {
    PlumbNameResolver eager = resolver(0);
    start(eager);
    runLookups();
    refresh(eager);
    runLookups();
    assertEquals(2, lookups);

    PlumbNameResolver never = resolver(-1);
    start(never);
    runLookups();
    now.addAndGet(Long.MAX_VALUE / 2);
    refresh(never);
    assertTrue(offloaded.isEmpty());
  }

  @Test
  void afterAFailureARefreshLooksUpAtOnce() {
    PlumbNameResolver resolver = resolver(30);
    answers.add("");
    start(resolver);
    runLookups();
    Status failure = results.get(0).getAddressesOrError().getStatus();
    assertEquals(Status.Code.UNAVAILABLE, failure.getCode());
    assertTrue(failure.getDescription().contains("no address for the host replicas"),
        failure.getDescription());
    refresh(resolver);
    runLookups();
    assertEquals(2, lookups);
    assertEquals("hp://127.0.0.1:7000", lastAddress());
  }

  @Test
  void aLookupThatThrowsEndsAsUnavailableAndTheNextOneRuns() {
    PlumbNameResolver resolver = resolver(host -> {
      throw new SecurityException("no lookups here");
    }, 30);
    start(resolver);
    runLookups();
    Status failure = results.get(0).getAddressesOrError().getStatus();
    assertEquals(Status.Code.UNAVAILABLE, failure.getCode());
    assertTrue(failure.getDescription().contains("no lookups here"), failure.getDescription());
    refresh(resolver);
    assertEquals(1, offloaded.size(), "the failed lookup ended its resolution");
  }

  @Test
  void aResultAfterShutdownIsDropped() {
    PlumbNameResolver resolver = resolver(30);
    start(resolver);
    syncContext.execute(resolver::shutdown);
    runLookups();
    assertTrue(results.isEmpty());
    refresh(resolver);
    assertTrue(offloaded.isEmpty());
  }

  @Test
  void theTtlPropertyIsReadAsGrpcReadsIt() {
    assertEquals(30, ReResolutionLimit.ttlSeconds(null));
    assertEquals(0, ReResolutionLimit.ttlSeconds("0"));
    assertEquals(-1, ReResolutionLimit.ttlSeconds("-1"));
    assertEquals(30, ReResolutionLimit.ttlSeconds("soon"));
  }
}
