package dev.plumb.benchmarks.driver;

/**
 * What carries the bytes. Each RPC configuration is compared with the raw mechanism of its
 * medium, when the driver has one.
 */
public enum Medium {
  TCP("TCP loopback"),
  /** TLS over TCP loopback (the JDK's TLS on both ends); there is no raw row for it. */
  TCP_TLS("TLS over TCP loopback"),
  UNIX_SOCKET("Unix domain socket"),
  PIPE("pipes to a child"),
  SHARED_MEMORY("shared memory"),
  IN_PROCESS("one JVM");

  private final String description;

  Medium(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
