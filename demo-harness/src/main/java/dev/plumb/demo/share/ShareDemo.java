package dev.plumb.demo.share;

import dev.plumb.childjvm.ServerProcess;
import dev.plumb.daemon.PlumbDaemon;
import dev.plumb.demo.Checklist;
import dev.plumb.demo.DaemonProcess;
import dev.plumb.demo.SegmentNames;
import dev.plumb.demo.TransportScenario;
import dev.plumb.examples.share.ConsumerProcess;
import dev.plumb.examples.share.ConsumerReport;
import dev.plumb.examples.share.DataSet;
import dev.plumb.examples.share.Prepared;
import dev.plumb.examples.share.ShareConsumer;
import dev.plumb.examples.share.ShareGrpc;
import dev.plumb.examples.share.ShareService;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * "A process produces 100 MB and shares it with two other processes, half each", as real
 * processes: the producer is {@link PlumbDaemon} hosting {@link ShareService} in a JVM of its
 * own, listening on the given transport; two {@link ShareConsumer} JVMs connect to it, and once
 * both are connected they start their calls together. Each takes its half (consumer 0 the even
 * chunks, consumer 1 the odd ones), checks every byte against the checksum computed from the
 * seed, and reports its MiB/s, in {@code rounds} rounds after a warm-up of small calls of the
 * same kind (the table gives the median round's figures, and each round's together figure).
 * It does so twice against the same producer, once per {@link ShareMode}: streamed, where the
 * producer makes each chunk inside the timed calls, and shared, where the producer first makes
 * the whole data set once in a shared buffer ({@code Prepare}, timed apart) and each consumer
 * reads its half of it in place. The runner
 * checks both reports against checksums it computes itself, that the halves add up to the data
 * set, that the producer holds no shared buffer but the latest data set's once the loans have
 * ended and left no shared-memory segment name behind; it stops every process and removes the
 * scenario's directory whatever happened.
 *
 * <p>{@code ShareDemo [--size SIZE] [--rounds N] [--warm-up SECONDS] [URI...]}: without URIs
 * it runs over {@code shm:}, {@code unix:} and {@code tcp:} (sockets in fresh temporary
 * directories, a free loopback port), 100 MiB by default, {@value #DEFAULT_ROUNDS} rounds after
 * {@link #DEFAULT_WARM_UP} of warm-up, and exits with 1 if any answer was wrong. Not over
 * {@code pipe:}: there each consumer's channel would start a producer of its own as its child,
 * two producers making half each, which is not one process sharing its data with two others.
 */
public final class ShareDemo {
  /** How long a consumer's transfer and checks may take once it has been told to go. */
  private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(150);
  private static final double MIB = 1 << 20;
  /**
   * Rounds per mode by default. A round of the shared mode takes some 20 ms, and one that
   * another thread's work (a compiler's, a collector's, the other JVMs') meets on two cores
   * takes twice that; the median of five is the transfer rather than one such meeting
   * (docs/SHARED_BUFFERS.md, Figures).
   */
  public static final int DEFAULT_ROUNDS = 5;
  /**
   * How long each consumer makes small calls before the first round by default. Three fresh
   * JVMs on two cores compile the call path for seconds: with one warm-up call a timed
   * {@code Lend} took 5 to 17 ms, where a compiled one takes well under 1 ms, and the shared
   * rows swung between 2,300 and 5,800 MiB/s (docs/SHARED_BUFFERS.md, Figures).
   */
  public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(5);

  private final DataSet data;
  private final int rounds;
  private final Duration warmUp;
  private final Duration startTimeout;
  private final PrintStream out;

  /**
   * @param warmUp how long each consumer makes small calls before it says it is ready (at
   *     least one call)
   * @param startTimeout how long the producer may take to print READY, and each consumer to
   *     connect and warm up, beyond {@code warmUp}
   */
  public ShareDemo(DataSet data, int rounds, Duration warmUp, Duration startTimeout,
      PrintStream out) {
    if (rounds < 1) {
      throw new IllegalArgumentException("at least one round, not " + rounds);
    }
    this.data = data;
    this.rounds = rounds;
    this.warmUp = warmUp;
    this.startTimeout = startTimeout;
    this.out = out;
  }

  /** The transports the example runs over by default: shm:, unix:, tcp:, in that order. */
  public static List<TransportScenario> transports() {
    return List.of(TransportScenario.shm(), TransportScenario.unix(),
        TransportScenario.separateServer("tcp", "tcp://127.0.0.1:0"));
  }

  public static void main(String[] args) throws InterruptedException {
    long size = DataSet.DEMO_SIZE_BYTES;
    int rounds = DEFAULT_ROUNDS;
    Duration warmUp = DEFAULT_WARM_UP;
    List<TransportScenario> scenarios = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--size") && i + 1 < args.length) {
          size = ShareConsumer.parseSize(args[++i]);
        } else if (args[i].equals("--rounds") && i + 1 < args.length) {
          rounds = Integer.parseInt(args[++i]);
        } else if (args[i].equals("--warm-up") && i + 1 < args.length) {
          warmUp = Duration.ofSeconds(Long.parseLong(args[++i]));
          if (warmUp.isNegative()) {
            throw new IllegalArgumentException("--warm-up must not be negative");
          }
        } else if (args[i].startsWith("pipe:")) {
          throw new IllegalArgumentException("not over pipe: each consumer's channel would"
              + " start a producer of its own");
        } else if (args[i].startsWith("-")) {
          throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        } else {
          scenarios.add(TransportScenario.separateServer(
              args[i].substring(0, Math.max(0, args[i].indexOf(':'))), args[i]));
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("ShareDemo: " + e.getMessage()
          + "; usage: ShareDemo [--size SIZE] [--rounds N] [--warm-up SECONDS]"
          + " [LISTEN_URI...]");
      System.exit(2);
    }
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    ShareDemo demo = new ShareDemo(DataSet.ofSize(size), rounds, warmUp, Duration.ofSeconds(30),
        out);
    List<ShareResult> results = new ArrayList<>();
    for (TransportScenario scenario : scenarios.isEmpty() ? transports() : scenarios) {
      results.addAll(demo.run(scenario));
    }
    out.println();
    out.print(ShareTable.format(results));
    System.exit(results.stream().allMatch(ShareResult::passed) ? 0 : 1);
  }

  /**
   * Runs the example over {@code scenario}'s transport in every mode, streamed then shared,
   * with one producer, so that the modes' figures come from the same run; removes the
   * scenario's directory afterwards. One result per mode; the producer's own checks (the shared
   * buffers it still holds, the segment names it left) count in the last.
   */
  public List<ShareResult> run(TransportScenario scenario) throws InterruptedException {
    String name = scenario.name();
    List<ModeRun> runs = new ArrayList<>();
    for (ShareMode mode : ShareMode.values()) {
      runs.add(new ModeRun(name, mode));
    }
    Checklist last = runs.get(runs.size() - 1).checklist;
    long producerPid = -1;
    try {
      progress(name, "starting the producer (the daemon hosting ShareService) in a child JVM,"
          + " listening on " + scenario.listenAddress());
      ServerProcess producer;
      try {
        producer = DaemonProcess.start(List.of("--listen", scenario.listenAddress(),
            "--service", ShareService.class.getName()), startTimeout);
      } catch (IOException e) {
        for (ModeRun run : runs) {
          run.checklist.fail("the producer did not start: " + e.getMessage());
        }
        return results(producerPid, runs);
      }
      producerPid = producer.pid();
      try {
        progress(name, "producer pid " + producer.pid() + " is ready at " + producer.address());
        for (ModeRun run : runs) {
          share(run, producer.address());
        }
        // It keeps the latest data set's buffer; every loan's own descriptors are gone.
        ProducerMemfds.check(producerPid, 1, last);
      } finally {
        producer.close();
        progress(name, producer.isAlive() ? "producer pid " + producer.pid()
            + " is still running" : "producer exited with code " + producer.exitCode());
      }
      SegmentNames.check("the producer", producerPid, last);
    } finally {
      scenario.cleanUp();
    }
    return results(producerPid, runs);
  }

  /** One mode's consumers, their reports and the checks of what they did. */
  private static final class ModeRun {
    final String transport;
    final ShareMode mode;
    /** What its progress lines start with, e.g. {@code shm shared}. */
    final String label;
    final Checklist checklist = new Checklist();
    /** Each round's reports, in consumer order; the last may be short if a consumer failed. */
    final List<List<ConsumerReport>> rounds = new ArrayList<>();
    long makingNanos = -1;

    ModeRun(String transport, ShareMode mode) {
      this.transport = transport;
      this.mode = mode;
      this.label = transport + " " + mode.label();
    }
  }

  private void share(ModeRun run, String target) throws InterruptedException {
    List<ConsumerProcess> consumers = new ArrayList<>();
    Checklist checklist = run.checklist;
    try {
      for (int i = 0; i < ShareConsumer.CONSUMERS; i++) {
        consumers.add(ConsumerProcess.start(target, i, data, run.mode.shared(), rounds,
            warmUp));
      }
      for (int i = 0; i < consumers.size(); i++) {
        String line = consumers.get(i).nextLine(startTimeout.plus(warmUp));
        if (!ShareConsumer.READY.equals(line)) {
          checklist.fail("consumer " + i + " said '" + line + "' instead of "
              + ShareConsumer.READY);
          return;
        }
      }
      if (run.mode.shared() && !prepare(run, target)) {
        return;
      }
      progress(run.label, String.format("consumers pid %d and pid %d are connected and warmed"
          + " up (%d ms of small calls each); each now takes its half of %s",
          consumers.get(0).pid(), consumers.get(1).pid(), warmUp.toMillis(),
          ShareTable.size(data.sizeBytes())));
      for (int round = 0; round < rounds; round++) {
        List<ConsumerReport> reports = new ArrayList<>();
        run.rounds.add(reports);
        String label = rounds == 1 ? run.label
            : run.label + " (round " + (round + 1) + " of " + rounds + ")";
        for (ConsumerProcess consumer : consumers) {
          consumer.go();
        }
        boolean last = round == rounds - 1;
        for (int i = 0; i < consumers.size(); i++) {
          ConsumerReport report = ConsumerReport.parse(
              consumers.get(i).nextLine(TRANSFER_TIMEOUT));
          reports.add(report);
          progress(label, report.describe());
          // A consumer exits after its last round; the exit is judged with that round.
          int exit = last ? consumers.get(i).awaitExit(startTimeout) : 0;
          judge(i, report, exit, checklist);
        }
        judgeTogether(label, reports, checklist);
      }
    } catch (IOException | IllegalArgumentException e) {
      int reported = run.rounds.isEmpty() ? 0 : run.rounds.get(run.rounds.size() - 1).size();
      checklist.fail("consumer " + reported + ": " + e.getMessage());
    } finally {
      for (ConsumerProcess consumer : consumers) {
        consumer.close();
      }
    }
  }

  /**
   * Has the producer make the shared buffer before the timed calls, and keeps how long that
   * took; false if it failed.
   */
  private boolean prepare(ModeRun run, String target) throws InterruptedException {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(target).build();
    try {
      Prepared prepared = ShareGrpc.newBlockingStub(channel)
          .withDeadlineAfter(TRANSFER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .prepare(data.request(0, ShareConsumer.CONSUMERS));
      run.makingNanos = prepared.getMakingNanos();
      run.checklist.pass();
      progress(run.label, String.format("the producer made the shared buffer of %s in %.1f ms"
          + " (not part of the timed calls)", ShareTable.size(data.sizeBytes()),
          run.makingNanos / 1e6));
      return true;
    } catch (StatusRuntimeException e) {
      run.checklist.fail("Prepare failed: " + e.getStatus().getCode() + ": "
          + e.getStatus().getDescription());
      return false;
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** The consumer's own verdict, and its checksum and size against the runner's. */
  private void judge(int consumer, ConsumerReport report, int exit, Checklist checklist) {
    int consumers = ShareConsumer.CONSUMERS;
    long expected = data.checksumOf(consumer, consumers);
    String what = "consumer " + consumer + " (pid " + report.pid() + ")";
    if (report.consumer() != consumer) {
      checklist.fail(what + " reported for consumer " + report.consumer());
    } else if (report.problem() != null) {
      checklist.fail(what + ": " + report.problem());
    } else if (report.checksum() != expected || report.expectedChecksum() != expected) {
      checklist.fail(String.format("%s: received CRC-32C %08x and computed %08x from the"
          + " seed; the runner computed %08x", what, report.checksum(),
          report.expectedChecksum(), expected));
    } else if (report.bytes() != data.bytesOf(consumer, consumers)
        || report.chunks() != data.chunksOf(consumer, consumers)) {
      checklist.fail(String.format("%s: received %d chunks, %d bytes; its half is %d chunks,"
          + " %d bytes", what, report.chunks(), report.bytes(), data.chunksOf(consumer,
          consumers), data.bytesOf(consumer, consumers)));
    } else if (exit != 0) {
      checklist.fail(what + " exited with code " + exit + " after a right share");
    } else {
      checklist.pass();
    }
  }

  /** The halves make up the whole data set; prints the throughput of both together. */
  private void judgeTogether(String name, List<ConsumerReport> reports, Checklist checklist) {
    long bytes = reports.stream().mapToLong(ConsumerReport::bytes).sum();
    long chunks = reports.stream().mapToLong(ConsumerReport::chunks).sum();
    if (bytes == data.sizeBytes() && chunks == data.chunkCount()) {
      checklist.pass();
    } else {
      checklist.fail(String.format("the halves hold %d chunks, %d bytes in all; the data set"
          + " has %d chunks, %d bytes", chunks, bytes, data.chunkCount(), data.sizeBytes()));
    }
    progress(name, String.format("together: %s in %.3f s = %.1f MiB/s (from the first call's"
        + " start to the last one's end)", ShareTable.size(bytes), spanMicros(reports) / 1e6,
        together(reports)));
  }

  private List<ShareResult> results(long producerPid, List<ModeRun> runs) {
    List<ShareResult> results = new ArrayList<>();
    for (ModeRun run : runs) {
      Checklist checklist = run.checklist;
      progress(run.label, checklist.allPassed() ? "all " + checklist.passed() + " answers right"
          : checklist.failures().size() + " answers WRONG");
      List<Double> togetherByRound = run.rounds.stream()
          .filter(reports -> reports.size() == ShareConsumer.CONSUMERS)
          .map(ShareDemo::together).toList();
      List<ConsumerReport> median = medianRound(run.rounds);
      results.add(new ShareResult(run.transport, run.mode, producerPid, data.sizeBytes(), median,
          median.size() == ShareConsumer.CONSUMERS ? together(median) : Double.NaN,
          togetherByRound, run.makingNanos, checklist.passed(), checklist.failures()));
    }
    return results;
  }

  /**
   * The reports of the complete round whose together figure is the median (the lower middle
   * of an even count), or the last round's if none is complete.
   */
  private static List<ConsumerReport> medianRound(List<List<ConsumerReport>> rounds) {
    List<List<ConsumerReport>> complete = new ArrayList<>(rounds.stream()
        .filter(reports -> reports.size() == ShareConsumer.CONSUMERS).toList());
    if (complete.isEmpty()) {
      return rounds.isEmpty() ? List.of() : rounds.get(rounds.size() - 1);
    }
    complete.sort(Comparator.comparingDouble(ShareDemo::together));
    return complete.get((complete.size() - 1) / 2);
  }

  private static long spanMicros(List<ConsumerReport> reports) {
    long start = reports.stream().mapToLong(ConsumerReport::startMicros).min().orElse(0);
    long end = reports.stream().mapToLong(ConsumerReport::endMicros).max().orElse(0);
    return end - start;
  }

  private static double together(List<ConsumerReport> reports) {
    long bytes = reports.stream().mapToLong(ConsumerReport::bytes).sum();
    return bytes / MIB / Math.max(1, spanMicros(reports)) * 1e6;
  }

  private void progress(String transport, String line) {
    out.println("share over " + transport + ": " + line);
  }
}
