package dev.plumb.demo.share;

/** How the consumers take their halves: streamed chunks, or in place from one shared buffer. */
public enum ShareMode {
  /** {@code Take}: the producer makes each chunk inside the consumer's timed call. */
  STREAMED("streamed", false),
  /** {@code Lend}: the producer made the data set beforehand ({@code Prepare}), timed apart. */
  SHARED("shared", true);

  private final String label;
  private final boolean shared;

  ShareMode(String label, boolean shared) {
    this.label = label;
    this.shared = shared;
  }

  public String label() {
    return label;
  }

  /** Whether the consumers borrow the shared buffer ({@code ShareConsumer --shared}). */
  public boolean shared() {
    return shared;
  }
}
