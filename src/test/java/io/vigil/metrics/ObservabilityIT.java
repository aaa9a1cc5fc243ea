package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MqttBroker;
import io.vigil.ingest.Bridge;
import io.vigil.ingest.BridgeMetrics;
import io.vigil.model.ModelBundle;
import io.vigil.publish.KafkaReadingSink;
import io.vigil.publish.ReadingSink;
import io.vigil.replay.BackblazeReplay;
import io.vigil.security.MqttSecurity;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.MqttFleetPublisher;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.simulator.SimulatorMetrics;
import io.vigil.stream.Detector;
import io.vigil.stream.DetectorMetrics;
import io.vigil.stream.DetectorSettings;
import io.vigil.stream.DetectorTopology;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.Mqtt;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.SharedData;
import io.vigil.testkit.TestModels;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole monitored pipeline in one JVM, as {@code vigil demo} runs it: a real Kafka broker, a real
 * MQTT 5 broker, the bridge, the detector with a trained model, and a simulated fleet in which one
 * bearing breaks {@value #FAULT_AT_SECONDS} s in, all on one {@link Telemetry} served by a
 * {@link MetricsServer}. Against it: a headless browser watches the live page, the scrape is
 * checked for every domain meter, and every dashboard query for metrics and labels the scrape really has.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(RealBrokers.class)
class ObservabilityIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final String FAULTY = "bearing-03";
    static final int FAULT_AT_SECONDS = 20;
    static final Path DASHBOARDS = Path.of("grafana", "dashboards");
    static final Duration PATIENCE = Duration.ofSeconds(180);
    /** Added by Prometheus to every series it scrapes, so never in the application's own output. */
    static final Set<String> PROMETHEUS_TARGET_LABELS = Set.of("job", "instance");

    @TempDir
    static Path dir;
    @Kafka
    static EmbeddedKafka kafka;
    @Mqtt
    static MqttBroker mqtt;
    static Telemetry telemetry;
    static MetricsServer server;
    static Bridge bridge;
    static Detector detector;
    static ExecutorService simulator;
    static Future<Void> fleet;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startPipeline() throws Exception {
        Path model = TestModels.vibration(VIBRATION);
        telemetry = Telemetry.create();
        server = MetricsServer.start(MetricsServer.DEFAULT_HOST, 0, telemetry);
        bridge = Bridge.builder()
                .broker(mqtt.uri())
                .bootstrapServers(kafka.bootstrapServers())
                .kinds(List.of(VIBRATION))
                .clientId("observability-it")
                .metrics(telemetry.registry())
                .start();
        detector = Detector.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .kinds(List.of(VIBRATION))
                .model(VIBRATION.name(), model)
                .applicationId("vigil-observability-it")
                .stateDir(dir.resolve("state"))
                .metrics(telemetry.registry())
                .settings(registry -> new DetectorSettings(256, Duration.ofMillis(50), registry, telemetry.board()))
                .start()
                .awaitRunning(PATIENCE);
        simulator = Executors.newSingleThreadExecutor();
        fleet = simulator.submit(() -> publishFleet(dir.resolve("fleet.yaml")));
    }

    /** Three bearings at 100 Hz in real time; bearing-03 breaks suddenly at FAULT_AT_SECONDS. */
    static Void publishFleet(Path scenario) throws Exception {
        Files.writeString(scenario, """
                name: observability-it
                seed: 7
                topology: vibration
                devices: {count: 3, prefix: bearing-}
                rateHz: 100
                durationSeconds: 240
                noiseStd: 0.05
                faults:
                  - devices: [%s]
                    mode: sudden
                    at: %d
                """.formatted(FAULTY, FAULT_AT_SECONDS));
        var options = new MqttFleetPublisher.Options(mqtt.uri(), 1.0, 100, 1000, 240, System.currentTimeMillis());
        // counted in the pipeline's registry, so the dashboards' simulator panel is checked against this scrape
        new MqttFleetPublisher(VIBRATION, MqttSecurity.NONE, new SimulatorMetrics(telemetry.registry()))
                .publish(Fleet.of(ScenarioLoader.load(scenario)), options, Duration.ofSeconds(10), progress -> { });
        return null;
    }

    @AfterAll
    static void stopPipeline() {
        if (simulator != null) {
            simulator.shutdownNow();
        }
        if (detector != null) {
            detector.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (server != null) {
            server.close();
        }
        if (telemetry != null) {
            telemetry.close();
        }
    }

    @Test
    @Order(1)
    void livePageInHeadlessChromiumShowsTheFaultyBearingGoFromNormalToAlert() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "chromium is not installed (apt-get install chromium)");

        // given one page, opened once, that shows the bearing healthy before its fault
        try (HeadlessChromium browser = HeadlessChromium.open(chromium.get(), dir.resolve("chromium"), server.url() + "/")) {
            LivePage normal = awaitPage(browser, "normal");

            // when the bearing breaks, then the same page, never reloaded, shows it in alert
            LivePage alert = awaitPage(browser, "alert");
            browser.screenshot(Path.of("target", "live-page.png"));
            assertThat(alert.timeOrigin()).as("the same document as when it showed normal").isEqualTo(normal.timeOrigin());
            assertThat(normal.devices()).isEqualTo(Map.of("bearing-01", "normal", "bearing-02", "normal", FAULTY, "normal"));
            assertThat(alert.devices()).isEqualTo(Map.of("bearing-01", "normal", "bearing-02", "normal", FAULTY, "alert"));
            // and lists the raised alert among the recent alerts
            assertThat(alert.alerts()).anySatisfy(a -> assertThat(a).matches(FAULTY + "@\\d+ RAISED"));
        }
    }

    @Test
    @Order(2)
    void scrapeOfTheRunningPipelineHasEveryDomainMeter() throws Exception {
        // given events that only rejects produce: a malformed MQTT reading, a duplicate sample, a corrupt record
        publishMqtt("vigil/vibration/bearing-bad", "{\"ts\": 1, \"x\": 1}");
        long ts = System.currentTimeMillis();
        publishMqtt("vigil/vibration/bearing-dup", "{\"ts\": " + ts + ", \"x\": 1, \"y\": 2, \"z\": 3}");
        publishMqtt("vigil/vibration/bearing-dup", "{\"ts\": " + ts + ", \"x\": 1, \"y\": 2, \"z\": 3}");
        produceCorruptReading();
        // and a real replay of two Backblaze days into the same Kafka, its progress on the same registry
        BackblazeReplay.Totals replayed = replayTwoBackblazeDays();

        // when scraped over HTTP, then every domain meter is there
        List<String> expected = List.of(
                counter(BridgeMetrics.READINGS), counter(BridgeMetrics.SAMPLES), counter(BridgeMetrics.REJECTED),
                histogram(BridgeMetrics.FORWARD_LATENCY + ".seconds"), BridgeMetrics.IN_FLIGHT,
                BridgeMetrics.IN_FLIGHT_MAX,
                counter(DetectorMetrics.WINDOWS_SCORED), histogram(DetectorMetrics.BATCH_SIZE + ".windows"),
                histogram(DetectorMetrics.SCORING_LATENCY + ".seconds"), histogram(DetectorMetrics.SCORE_RATIO),
                counter(DetectorMetrics.ALERTS_RAISED), counter(DetectorMetrics.ALERTS_CLEARED),
                DetectorMetrics.ALERTS_ACTIVE, histogram(DetectorMetrics.END_TO_END_LATENCY + ".seconds"),
                DetectorMetrics.DEVICES_SEEN, DetectorMetrics.MODEL_INFO, counter(DetectorMetrics.SAMPLES_DROPPED),
                counter(DetectorMetrics.RECORDS_DEAD_LETTERED), counter(DetectorMetrics.WINDOW_RESETS),
                LiveBoard.DEVICE_SCORE, LiveBoard.DEVICE_THRESHOLD, LiveBoard.DEVICE_ALERT,
                LiveBoard.DEVICE_LAST_SCORED + ".seconds",
                LiveBoard.DEVICES_OVER_CAP, ReplayProgress.UNITS_PLANNED, ReplayProgress.UNITS_PLAYED,
                counter(ReplayProgress.RECORDS), ReplayProgress.POSITION);
        List<String> names = expected.stream().map(n -> n.replace('.', '_')).toList();
        await("every domain meter in the scrape").atMost(PATIENCE).untilAsserted(() ->
                assertThat(PromQl.sampleNames(scrape())).containsAll(names));

        // the library binders too: JVM, Kafka Streams (with consumer lag) and the bridge's producer
        String scrape = scrape();
        Files.writeString(Path.of("target", "observability-scrape.txt"), scrape);
        assertThat(PromQl.sampleNames(scrape)).contains("jvm_memory_used_bytes", "jvm_threads_live_threads",
                "process_cpu_usage", "kafka_stream_thread_process_total", "kafka_consumer_fetch_manager_records_lag_max",
                "kafka_producer_record_send_total");
        assertThat(scrape).contains("vigil_model_info{kind=\"vibration\",version=\"" + ModelBundle.load(
                TestModels.vibration(VIBRATION)).metadata().version() + "\"} 1");
        // and the replay's meters say what it did: both days played, every reading counted, at its last day
        assertThat(samples(scrape, "vigil_replay_")).isEqualTo(Map.of(
                "vigil_replay_units_planned{source=\"backblaze\"}", 2.0,
                "vigil_replay_units_played{source=\"backblaze\"}", 2.0,
                "vigil_replay_records_total{source=\"backblaze\"}", (double) replayed.readings(),
                "vigil_replay_position_seconds{source=\"backblaze\"}", 1_365_638_400.0)); // 2013-04-11
    }

    /** Series (name and labels) to value, of the scrape's samples whose names start with {@code prefix}. */
    private static Map<String, Double> samples(String scrape, String prefix) {
        Map<String, Double> samples = new TreeMap<>();
        scrape.lines().filter(line -> line.startsWith(prefix)).forEach(line -> {
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        });
        return samples;
    }

    /** 2013-04-10 and -11 replayed to Kafka by the production replay, reporting to the test's registry. */
    private static BackblazeReplay.Totals replayTwoBackblazeDays() throws Exception {
        Path days = Files.createDirectories(dir.resolve("backblaze"));
        for (String day : List.of("2013-04-10.csv", "2013-04-11.csv")) {
            Files.copy(SharedData.folder("backblaze-2013").resolve(day), days.resolve(day));
        }
        SensorKind smart = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "smart");
        try (ReadingSink sink = new KafkaReadingSink(kafka.bootstrapServers(), smart.kafka().readings(),
                smart.sampleRateHz(), "observability-it-replay")) {
            BackblazeReplay.Totals totals = new BackblazeReplay(smart, telemetry.registry()).run(days, sink, 0,
                    BackblazeReplay.Listener.NONE);
            assertThat(totals.readings()).isEqualTo(totals.rows()).isPositive();
            return totals;
        }
    }

    @Test
    @Order(3)
    void everyDashboardQueryNamesOnlyMetricsAndLabelsTheScrapeHas() throws Exception {
        // given a scrape of the running pipeline (after the previous test produced the reject meters), taken
        // once the JVM has collected at least once: the GC pause timer a panel reads exists only from then on,
        // and a fresh JVM with a large free heap may not have collected yet
        Map<String, Set<String>> exported = PromQl.labelNames(scrapeAfterACollection());

        // when every PromQL expression of every dashboard (panels and template variables) is read
        Map<String, Set<String>> unknown = new TreeMap<>();
        List<Path> files = dashboards();
        for (Path file : files) {
            for (String expr : Dashboards.expressions(new ObjectMapper().readTree(file.toFile()))) {
                for (String metric : PromQl.metricNames(expr)) {
                    Set<String> missing = missingFromScrape(exported, metric, expr);
                    if (!missing.isEmpty()) {
                        unknown.computeIfAbsent(file.getFileName() + ": " + expr, k -> new TreeSet<>()).addAll(missing);
                    }
                }
            }
        }

        // then none names a metric the application does not export, or groups by a label its series lack
        assertThat(files).hasSize(3);
        assertThat(unknown).isEmpty();
    }

    @Test
    @Order(4)
    void everyAlertingRuleReadsOnlyMetricsAndLabelsTheScrapeHas() throws Exception {
        // given a scrape of the running pipeline, and what Prometheus adds: its recording rules and `up`
        Map<String, Set<String>> exported = PromQl.labelNames(scrape());
        Set<String> recorded = AlertRulesTest.recordedNames();

        // when every expression of grafana/alerts.yml is read
        Map<String, Set<String>> unknown = new TreeMap<>();
        List<String> exprs = AlertRulesTest.expressions();
        for (String expr : exprs) {
            for (String metric : PromQl.metricNames(expr)) {
                if (recorded.contains(metric) || metric.equals("up")) {
                    continue;
                }
                Set<String> missing = missingFromScrape(exported, metric, expr);
                if (!missing.isEmpty()) {
                    unknown.computeIfAbsent(expr, k -> new TreeSet<>()).addAll(missing);
                }
            }
        }

        // then none names a metric the application does not export, or groups by a label its series lack
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(12);
        assertThat(unknown).isEmpty();
        // and the gauges the rules compare carry values: the receive maximum, a scoring time in seconds
        String scrape = scrape();
        assertThat(samples(scrape, "vigil_bridge_inflight_max")).isEqualTo(Map.of("vigil_bridge_inflight_max",
                (double) Bridge.Builder.DEFAULT_RECEIVE_MAXIMUM));
        assertThat(samples(scrape, "vigil_device_last_scored_timestamp_seconds{").values()).isNotEmpty()
                .allSatisfy(seconds -> assertThat(seconds * 1000).isBetween(
                        (double) System.currentTimeMillis() - PATIENCE.toMillis() * 3, (double) System.currentTimeMillis()));
    }

    /** What the live page shows: device → state, recent alerts as "alertId STATE", and the DOM behind them. */
    record LivePage(double timeOrigin, Map<String, String> devices, List<String> alerts, String dom) {

        /** Read in the page itself; {@code timeOrigin} is the document's load time and changes on a reload. */
        static final String READ = """
                ({timeOrigin: performance.timeOrigin,
                  devices: Object.fromEntries([...document.querySelectorAll('#devices tr[data-device]')]
                      .map(tr => [tr.dataset.device, tr.dataset.state])),
                  alerts: [...document.querySelectorAll('#alerts li[data-alert]')]
                      .map(li => li.dataset.alert + ' ' + li.dataset.state),
                  dom: ['status', 'devices', 'alerts'].map(id => document.getElementById(id).outerHTML).join('\\n')})
                """;

        static LivePage read(HeadlessChromium browser) throws Exception {
            return new ObjectMapper().treeToValue(browser.evaluate(READ), LivePage.class);
        }
    }

    /** Polls the open page (no reload) until it shows {@link #FAULTY} in {@code state}; on timeout, what it showed last. */
    private static LivePage awaitPage(HeadlessChromium browser, String state) {
        AtomicReference<LivePage> last = new AtomicReference<>();
        try {
            return await("live page shows " + FAULTY + " " + state).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (fleet.isDone()) {
                            fleet.get(); // the simulator failed: say so rather than time out
                        }
                        last.set(LivePage.read(browser));
                        return last.get();
                    }, page -> state.equals(page.devices().get(FAULTY)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nlast DOM: " + (last.get() == null ? "never read" : last.get().dom())
                    + "\n/api/live: " + new String(new LiveJson(telemetry.board()).render(System.currentTimeMillis()),
                    StandardCharsets.UTF_8) + "\nsimulator done: " + fleet.isDone(), e);
        }
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String scrapeAfterACollection() {
        System.gc();
        return await().atMost(Duration.ofSeconds(30)).until(ObservabilityIT::scrape, body -> body.contains("jvm_gc_pause_seconds_sum"));
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String counter(String name) {
        return name + ".total";
    }

    private static String histogram(String name) {
        return name + ".bucket";
    }

    private static void publishMqtt(String topic, String payload) throws Exception {
        MqttClient client = new MqttClient(mqtt.uri(), "observability-it-pub", new MemoryPersistence());
        try {
            client.connect();
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
            client.disconnect();
        } finally {
            client.close();
        }
    }

    private static void produceCorruptReading() throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(VIBRATION.kafka().readings(), "bearing-corrupt",
                    "not a sample batch".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * What {@code expr}'s reference to {@code metric} lacks in the scrape: the metric itself, or each label it
     * groups by that the metric's series do not carry (Prometheus's target labels are added at scrape time).
     */
    private static Set<String> missingFromScrape(Map<String, Set<String>> exported, String metric, String expr) {
        Set<String> missing = new TreeSet<>();
        if (!exported.containsKey(metric)) {
            missing.add(metric);
        } else {
            for (String label : PromQl.groupingLabels(expr)) {
                if (!exported.get(metric).contains(label) && !PROMETHEUS_TARGET_LABELS.contains(label)) {
                    missing.add(metric + " has no label " + label);
                }
            }
        }
        return missing;
    }
}
