package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The seed corpora of the Jazzer fuzz tests ({@code @FuzzTest}). Jazzer reads a fuzz test's
 * seeds from the test resources, from {@code <package>/<TestClass>Inputs/<method>/}; each
 * target's seeds are made by a class of its own, whose {@code main} writes them there. A
 * test of each target checks the committed files against what that class makes, so that the
 * seeds follow a change of the input layout instead of silently turning into noise. Files
 * the fuzzer adds there (its {@code crash-...} findings) are left alone.
 */
public final class FuzzSeeds {
  private FuzzSeeds() {}

  /** Asserts that each of {@code seeds} is committed, byte for byte, for {@code fuzzTest}'s {@code method}. */
  public static void assertCommitted(Class<?> fuzzTest, String method, Map<String, byte[]> seeds) {
    for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
      String resource = fuzzTest.getSimpleName() + "Inputs/" + method + "/" + seed.getKey();
      try (InputStream committed = fuzzTest.getResourceAsStream(resource)) {
        assertNotNull(committed, () -> "seed " + resource + " is not committed");
        assertArrayEquals(seed.getValue(), committed.readAllBytes(),
            () -> "seed " + resource + " is not the one its seed class makes");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
