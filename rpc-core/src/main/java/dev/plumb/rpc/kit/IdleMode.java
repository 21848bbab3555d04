package dev.plumb.rpc.kit;

import dev.plumb.rpc.spi.PlumbAddress;

/**
 * The {@code idle} option of a socket transport's address: how a thread that reads the link
 * waits when there is nothing to read. {@code block} (the default) blocks in the kernel at
 * once; {@code poll}, the latency mode, keeps asking the link for a while after each read, as
 * the machine's {@link dev.plumb.rpc.idle.IdleBudget} allows, so that an answer arriving soon
 * is read without a wake-up. Each side chooses for its own reads: a client's target and a
 * server's listen address carry it apart.
 */
public enum IdleMode {
  BLOCK("block"),
  POLL("poll");

  public static final String KEY = "idle";
  private final String value;

  IdleMode(String value) {
    this.value = value;
  }

  /**
   * The mode an address's {@code idle} option names ({@code value}, null if absent: {@link
   * #BLOCK}).
   *
   * @throws IllegalArgumentException for another value, worded as {@link UriOptions#invalid}
   */
  public static IdleMode parse(String value, String address) {
    if (value == null) {
      return BLOCK;
    }
    for (IdleMode mode : values()) {
      if (mode.value.equals(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("'" + address + "': option '" + KEY
        + "' must be block (the default) or poll, not '" + value + "'");
  }

  /** The mode of a parsed address, whose query holds its canonical options. */
  public static IdleMode of(PlumbAddress address) {
    String query = address.uri().getRawQuery();
    if (query == null) {
      return BLOCK;
    }
    for (String option : query.split("&")) {
      if (option.equals(KEY + "=" + POLL.value)) {
        return POLL;
      }
    }
    return BLOCK;
  }

  /** The option as a canonical address writes it: none for the default. */
  public String option() {
    return this == BLOCK ? "" : KEY + "=" + value;
  }
}
