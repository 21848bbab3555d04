package dev.plumb.demo;

import java.io.IOException;

/** Children that do not behave like a server, for {@link ServerProcessTest}. */
final class FakeServers {
  private FakeServers() {}

  /** Prints something other than READY, then waits for its stdin to end. */
  static final class PrintsSomethingElse {
    public static void main(String[] args) throws IOException {
      System.out.println("hello, I am not a server");
      System.out.flush();
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  /** Exits at once with code 3, saying why on stderr. */
  static final class ExitsAtOnce {
    public static void main(String[] args) {
      System.err.println("exiting with code 3 on purpose");
      System.exit(3);
    }
  }

  /** Says nothing and waits for its stdin to end. */
  static final class SaysNothing {
    public static void main(String[] args) throws IOException {
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
