package dev.plumb.transport.tcp;

import java.util.List;
import java.util.Map;

/**
 * The service config of the replica tests: round_robin, and calls retried on UNAVAILABLE (up
 * to three attempts), so that a call caught on a server as it dies is made again on another.
 */
final class RoundRobin {
  private RoundRobin() {}

  static Map<String, ?> serviceConfig() {
    Map<String, Object> retry = Map.of(
        "maxAttempts", 3.0,
        "initialBackoff", "0.05s",
        "maxBackoff", "0.5s",
        "backoffMultiplier", 2.0,
        "retryableStatusCodes", List.of("UNAVAILABLE"));
    return Map.of(
        "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
        "methodConfig", List.of(Map.of("name", List.of(Map.of()), "retryPolicy", retry)));
  }
}
