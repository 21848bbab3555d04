package dev.plumb.rpc.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grpc-java versions Plumb runs with, checked once when the first channel or server builder
 * is made. Plumb implements interfaces of {@code io.grpc.internal}, which change between
 * releases without notice; outside the range it was built and tested for, a call would fail
 * deep inside gRPC with an {@code AbstractMethodError} or a {@code NoSuchMethodError}, so the
 * builders refuse at once, naming the range (docs/USING.md).
 */
public final class GrpcRuntime {
  /** The oldest minor release: 1.79 brought the {@code DisconnectError} Plumb's client uses. */
  static final int OLDEST_MINOR = 79;
  /** The newest minor release whose {@code io.grpc.internal} Plumb was checked against. */
  static final int NEWEST_MINOR = 85;
  static final String RANGE = "1." + OLDEST_MINOR + ".0 to 1." + NEWEST_MINOR + ".x";

  private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\D.*)?$");

  private GrpcRuntime() {}

  /**
   * Returns if the grpc-core on the class path is in the supported range.
   *
   * @throws IllegalStateException naming the range and the version found otherwise
   */
  public static void requireSupported() {
    String problem = Found.PROBLEM;
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
  }

  /** Why {@code grpcVersion} will not do (null: it will); null {@code grpcVersion}: unknown. */
  static String problemWith(String grpcVersion, String plumbVersion) {
    Matcher m = grpcVersion == null ? null : MAJOR_MINOR.matcher(grpcVersion);
    if (m != null && m.matches() && m.group(1).equals("1")) {
      int minor = Integer.parseInt(m.group(2));
      if (minor >= OLDEST_MINOR && minor <= NEWEST_MINOR) {
        return null;
      }
    }
    return "Plumb" + (plumbVersion == null ? "" : " " + plumbVersion) + " runs with grpc-java "
        + RANGE + ", but the class path has grpc-java "
        + (grpcVersion == null ? "of an unknown version" : grpcVersion)
        + " (io.grpc:grpc-core); choose a grpc-bom version in that range (docs/USING.md)";
  }

  /** The version of grpc-core as loaded, not as compiled against. */
  static String loadedGrpcVersion() {
    try {
      // Read by reflection: the constant itself would be inlined by the compiler, which would
      // report the version Plumb was built against.
      Object version = Class.forName("io.grpc.internal.GrpcUtil")
          .getField("IMPLEMENTATION_VERSION").get(null);
      return version instanceof String ? (String) version : null;
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /** Checked once, on first use (the holder idiom: the JVM runs this initialiser once). */
  private static final class Found {
    static final String PROBLEM = problemWith(loadedGrpcVersion(),
        GrpcRuntime.class.getPackage().getImplementationVersion());
  }
}
