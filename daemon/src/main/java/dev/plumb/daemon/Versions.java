package dev.plumb.daemon;

import dev.plumb.rpc.PlumbServerBuilder;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: Plumb's, grpc-java's (as loaded) and the JVM's versions. */
final class Versions implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"plumb-daemon " + plumb(), "grpc-java " + grpc(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
  }

  /** From the jar's manifest; classes outside a jar (a build's output) have none. */
  static String plumb() {
    String version = PlumbServerBuilder.class.getPackage().getImplementationVersion();
    return version != null ? version : "(unknown: not run from a jar)";
  }

  /** Read at run time: the constant itself would be inlined, the version compiled against. */
  static String grpc() {
    try {
      Object version = Class.forName("io.grpc.internal.GrpcUtil")
          .getField("IMPLEMENTATION_VERSION").get(null);
      return String.valueOf(version);
    } catch (ReflectiveOperationException | LinkageError e) {
      return "(unknown: " + e + ")";
    }
  }
}
