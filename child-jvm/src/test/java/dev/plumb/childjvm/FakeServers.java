package dev.plumb.childjvm;

import java.io.IOException;
import java.io.OutputStream;

/** Children for {@link ServerProcessTest}: one server, and some that do not behave like one. */
final class FakeServers {
  private FakeServers() {}

  /** Prints READY and an address, then waits for its stdin to end and exits with 0. */
  static final class Ready {
    public static void main(String[] args) throws IOException {
      System.out.println(ServerProcess.READY + "fake://" + args[0]);
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
    }
  }

  /** Echoes its stdin to its stdout until its stdin ends. */
  static final class Echo {
    public static void main(String[] args) throws IOException {
      System.in.transferTo(System.out);
      System.out.flush();
    }
  }

  /** Prints something other than READY, then waits for its stdin to end. */
  static final class PrintsSomethingElse {
    public static void main(String[] args) throws IOException {
      System.out.println("hello, I am not a server");
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
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
      System.in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
