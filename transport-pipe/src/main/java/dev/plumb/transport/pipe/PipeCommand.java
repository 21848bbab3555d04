package dev.plumb.transport.pipe;

import dev.plumb.rpc.kit.IdleMode;
import dev.plumb.rpc.kit.UriOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a {@code pipe:} target starts: the command line, and options after {@code #}.
 *
 * <pre>
 *   pipe:java -cp app.jar com.example.Server#dir=/srv/app&amp;env.LANG=C.UTF-8&amp;stopTimeout=5s
 * </pre>
 *
 * <p>The command line is split as a POSIX shell splits words, without expansion: blanks
 * separate arguments, {@code '...'} keeps everything literally, {@code "..."} keeps blanks and
 * takes {@code \"} and {@code \\} as escapes, and a backslash outside quotes makes the next
 * character literal. Options: {@code dir} (working directory), {@code env.NAME} (an environment
 * variable; may repeat for several names), {@code stopTimeout} (how long a closing channel waits
 * for the child to exit after closing its stdin, before SIGTERM and then SIGKILL; default 5s),
 * {@code maxStarts} and {@code startWindow} (at most that many starts of this command within
 * that window in this JVM; default 20 in 60s), durations written as {@code 500ms}, {@code 5s},
 * {@code 2m} ({@link dev.plumb.rpc.kit.Units}); {@code pipeSize} (the capacity to ask Linux
 * for each of the two pipes, {@link PipeSize}; default 1m, 0 keeps the kernel's);
 * {@code idle=poll}, the parent's latency mode ({@link IdleMode}: it polls the child's stdout
 * before its reads block). Unknown, repeated or empty options and malformed values are errors
 * ({@link UriOptions}).
 */
final class PipeCommand {
  private static final String DIR = "dir";
  private static final String ENV = "env";
  private static final String STOP_TIMEOUT = "stopTimeout";
  private static final String MAX_STARTS = "maxStarts";
  private static final String START_WINDOW = "startWindow";
  private static final String PIPE_SIZE = "pipeSize";
  /** Linux's default {@code pipe-max-size}: the most an unprivileged process may ask. */
  private static final int DEFAULT_PIPE_SIZE = 1 << 20;
  private static final List<String> OPTIONS = List.of(DIR, ENV + ".NAME", STOP_TIMEOUT,
      MAX_STARTS, START_WINDOW, PIPE_SIZE, IdleMode.KEY);

  final List<String> argv;
  final Path directory;
  final Map<String, String> environment;
  final Duration stopTimeout;
  final int maxStarts;
  final Duration startWindow;
  /** The bytes to ask for each pipe ({@link PipeSize}); 0 keeps the kernel's size. */
  final int pipeSize;
  final IdleMode idle;

  private PipeCommand(List<String> argv, Path directory, Map<String, String> environment,
      Duration stopTimeout, int maxStarts, Duration startWindow, int pipeSize, IdleMode idle) {
    this.argv = List.copyOf(argv);
    this.directory = directory;
    this.environment = Collections.unmodifiableMap(environment);
    this.stopTimeout = stopTimeout;
    this.maxStarts = maxStarts;
    this.startWindow = startWindow;
    this.pipeSize = pipeSize;
    this.idle = idle;
  }

  static PipeCommand parse(URI uri) {
    List<String> argv = split(uri.getSchemeSpecificPart());
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("'" + uri + "' names no command; expected "
          + "pipe:COMMAND ARGS..., e.g. pipe:java -jar server.jar");
    }
    // The fragment is decoded already: a value may hold any character but '&'.
    UriOptions options = UriOptions.parse(uri.getFragment(), false, uri.toString(), OPTIONS);
    Path directory = null;
    if (options.get(DIR) != null) {
      try {
        directory = Paths.get(options.get(DIR));
      } catch (InvalidPathException e) {
        throw options.invalid(DIR, "must be a directory's path: " + e.getReason());
      }
    }
    Duration startWindow = options.duration(START_WINDOW, Duration.ofSeconds(60));
    if (startWindow.isZero()) {
      throw options.invalid(START_WINDOW, "must be longer than 0, e.g. 60s; got '"
          + options.get(START_WINDOW) + "'");
    }
    return new PipeCommand(argv, directory, options.family(ENV),
        options.duration(STOP_TIMEOUT, Duration.ofSeconds(5)),
        options.positiveInt(MAX_STARTS, 20), startWindow,
        (int) options.size(PIPE_SIZE, 1 << 30, DEFAULT_PIPE_SIZE),
        IdleMode.parse(options.get(IdleMode.KEY), uri.toString()));
  }

  /** The canonical target: arguments re-quoted where needed, options in a fixed order. */
  URI toUri() {
    List<String> quoted = new ArrayList<>();
    for (String arg : argv) {
      quoted.add(quote(arg));
    }
    List<String> options = new ArrayList<>();
    if (directory != null) {
      options.add("dir=" + directory);
    }
    environment.forEach((name, value) -> options.add("env." + name + "=" + value));
    options.add("stopTimeout=" + stopTimeout.toMillis() + "ms");
    options.add("maxStarts=" + maxStarts);
    options.add("startWindow=" + startWindow.toMillis() + "ms");
    options.add("pipeSize=" + pipeSize);
    if (idle != IdleMode.BLOCK) {
      options.add(idle.option());
    }
    try {
      return new URI("pipe", String.join(" ", quoted), String.join("&", options));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot form a pipe: target from " + argv, e);
    }
  }

  /** The command line as a person would type it, shortened for messages (class paths). */
  String display() {
    List<String> quoted = new ArrayList<>();
    for (String arg : argv) {
      String word = quote(arg);
      quoted.add(word.length() <= 60 ? word : word.substring(0, 28) + "..."
          + word.substring(word.length() - 28));
    }
    return String.join(" ", quoted);
  }

  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated ' in pipe: command: " + line);
        }
        word.append(line, i + 1, end);
        i = end;
      } else if (c == '"') {
        i = readDoubleQuoted(line, i + 1, word);
      } else if (c == '\\') {
        if (++i == line.length()) {
          throw new IllegalArgumentException("pipe: command ends with a lone \\: " + line);
        }
        word.append(line.charAt(i));
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  /** Appends a "..." word's content starting at {@code i}; returns the closing quote's index. */
  private static int readDoubleQuoted(String line, int i, StringBuilder word) {
    for (; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\' && i + 1 < line.length()
          && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
        c = line.charAt(++i);
      }
      word.append(c);
    }
    throw new IllegalArgumentException("unterminated \" in pipe: command: " + line);
  }

  private static String quote(String arg) {
    if (!arg.isEmpty() && arg.chars().noneMatch(c -> Character.isWhitespace(c)
        || c == '\'' || c == '"' || c == '\\' || c == '#')) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
