package dev.plumb.rpc.frame;

/** Pools of a test's own, so its counts are not disturbed by whatever else uses the shared one. */
public final class TestPools {
  private TestPools() {}

  public static PayloadPool newPool() {
    return new PayloadPool();
  }

  /** Holders of a lent array; 0 once it went back, below 0 if it was released once too often. */
  public static int references(PooledBytes pooled) {
    return pooled.references();
  }

  /** Free arrays the pool holds in the size class of {@code length}. */
  public static int freeArrays(PayloadPool pool, int length) {
    return pool.freeArrays(length);
  }
}
