package dev.plumb.benchmarks.driver;

/** How the transfer row ({@link DownloadBenchmark}) hands the server's data to the client. */
public enum DownloadWay {
  /**
   * One unary call answers with a reference to the server's sealed shared buffer; the client
   * opens it and reads it in place (by descriptor where the link passes one, else a private
   * copy that travelled inline).
   */
  SHARED_BUFFER("shared buffer", "shared-buffer"),
  /** A server-streaming call of chunks, each checksummed as it arrives. */
  CHUNKS("chunks", "chunks");

  private final String label;
  private final String key;

  DownloadWay(String label, String key) {
    this.label = label;
    this.key = key;
  }

  /** As it appears in the report. */
  public String label() {
    return label;
  }

  /** As it appears in metric names. */
  String key() {
    return key;
  }
}
