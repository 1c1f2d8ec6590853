package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.cli.MailerCli;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The manifests of {@code deploy/kubernetes/} parse as the Kubernetes API's own types (fabric8's model classes, no
 * field they don't know) and agree with the mailer: its ports and probe paths, the variables it reads, its CLI,
 * its state dir, its drain time, the consumer's session timeout, its alert rules. Nothing here talks to a
 * cluster: README.md, "Kubernetes", says what was and wasn't tried.
 */
class KubernetesManifestsTest {
    static final Path DIR = Path.of("deploy", "kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "ConfigMap", ConfigMap.class, "Secret", Secret.class, "Service", Service.class,
            "StatefulSet", StatefulSet.class, "PodDisruptionBudget", PodDisruptionBudget.class,
            "ServiceMonitor", ServiceMonitor.class, "PrometheusRule", PrometheusRule.class);
    /** The ports NAMES.md fixes for issue 15: the console and API, and the probes' and Prometheus's. */
    private static final int HTTP_PORT = 8080;
    private static final int MANAGEMENT_PORT = 8081;
    private static Map<String, HasMetadata> manifests;

    @TempDir
    Path tmp;

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        manifests = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                JsonNode tree = YAML.readTree(file.toFile());
                String kind = tree.path("kind").asText();
                assertThat(KINDS).as(file + ": kind").containsKey(kind);
                HasMetadata resource = YAML.treeToValue(tree, KINDS.get(kind));
                List<String> unknown = new ArrayList<>();
                unknownFields(resource, kind, unknown);
                assertThat(unknown).as(file + ": fields the Kubernetes API doesn't know").isEmpty();
                assertThat(resource.getMetadata().getNamespace()).as(file + ": namespace (kubectl -n, kustomize)")
                        .isNull();
                manifests.put(file.getFileName().toString(), resource);
            }
        }
    }

    /** Every field the model has no property for lands in additionalProperties: a typo, a wrong level. */
    private static void unknownFields(Object value, String path, List<String> unknown) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                unknownFields(o, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                f.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = f.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (f.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(fieldValue, path + "." + f.getName(), unknown);
                }
            }
        }
    }

    @Test
    void shouldCatchAFieldTheKubernetesApiDoesNotKnow() throws IOException {
        String typo = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          livenessprobe: {httpGet: {path: /health, port: 8081}}
                """;
        List<String> unknown = new ArrayList<>();
        unknownFields(YAML.readValue(typo, StatefulSet.class), "StatefulSet", unknown);
        assertThat(unknown).containsExactly("StatefulSet.spec.template.spec.containers[0]: [livenessprobe]");
    }

    private static <T extends HasMetadata> List<T> all(Class<T> type) {
        return manifests.values().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static StatefulSet statefulSet() {
        return one(StatefulSet.class);
    }

    private static PodSpec pod() {
        return statefulSet().getSpec().getTemplate().getSpec();
    }

    private static Container mailer() {
        assertThat(pod().getContainers()).hasSize(1);
        return pod().getContainers().get(0);
    }

    private static Map<String, String> podLabels() {
        return statefulSet().getSpec().getTemplate().getMetadata().getLabels();
    }

    private static Service service(String name) {
        return all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Service " + name));
    }

    private static Service headless() {
        return service(statefulSet().getSpec().getServiceName());
    }

    private static Map<String, EnvVar> env() {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        mailer().getEnv().forEach(e -> assertThat(env.put(e.getName(), e)).as("set twice: " + e.getName()).isNull());
        return env;
    }

    /** The plain values of the container's variables, {@code $(VAR)} expanded as the kubelet does. */
    private static Map<String, String> literalEnv(Map<String, String> fromApi) {
        Map<String, String> values = new LinkedHashMap<>(fromApi);
        for (EnvVar e : mailer().getEnv()) {
            if (e.getValue() != null) {
                String v = e.getValue();
                for (Map.Entry<String, String> known : values.entrySet()) {
                    v = v.replace("$(" + known.getKey() + ")", known.getValue());
                }
                values.put(e.getName(), v);
            }
        }
        return values;
    }

    private ProcessSettings settings(Map<String, String> env) throws IOException {
        Path file = tmp.resolve("mailer.properties");
        Files.writeString(file, configMap().getData().get("mailer.properties"));
        return ProcessSettings.load(file, true, Map.of(), env);
    }

    private static ConfigMap configMap() {
        return one(ConfigMap.class);
    }

    private static ContainerPort containerPort(String name) {
        return mailer().getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    private static CommandLine.ParseResult runCommand() {
        CommandLine.ParseResult parsed = new CommandLine(new MailerCli())
                .parseArgs(mailer().getArgs().toArray(String[]::new));
        assertThat(parsed.subcommand()).as("a command").isNotNull();
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
        return parsed.subcommand();
    }

    private static String mountPath(String volume) {
        return mailer().getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).map(VolumeMount::getMountPath)
                .findFirst().orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
    }

    @Test
    void shouldApplyEveryManifestButTheExampleSecret() throws IOException {
        JsonNode kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
        List<String> listed = new ArrayList<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> expected = new TreeSet<>(manifests.keySet());
        // Its placeholders must never become the console's password: README says to create the Secret.
        expected.remove("secret.example.yaml");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(manifests).containsKey("secret.example.yaml");
    }

    @Test
    void shouldServeThePortsTheMailerListensOnWithThisEnvironment() throws IOException {
        ProcessSettings s = settings(literalEnv(Map.of("POD_NAME", "mailer-0", "POD_NAMESPACE", "mail")));
        assertThat(containerPort("http").getContainerPort()).isEqualTo(s.httpPort()).isEqualTo(HTTP_PORT);
        // Every interface: the kubelet's probes and the peers come from outside the pod.
        assertThat(s.httpBind()).isEqualTo("0.0.0.0");
        assertThat(containerPort("management").getContainerPort()).isEqualTo(s.managementPort())
                .isEqualTo(MANAGEMENT_PORT);
        assertThat(mailer().getPorts()).hasSize(2);
    }

    @Test
    void shouldAdvertiseEachPodsStableNameToItsPeers() throws IOException {
        Map<String, EnvVar> env = env();
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        // The kubelet expands $(VAR) only from variables defined before.
        List<String> order = new ArrayList<>(env.keySet());
        assertThat(order.indexOf("POD_NAME")).isLessThan(order.indexOf(ProcessSettings.APPLICATION_SERVER_ENV));
        assertThat(order.indexOf("POD_NAMESPACE")).isLessThan(order.indexOf(ProcessSettings.APPLICATION_SERVER_ENV));

        ProcessSettings s = settings(literalEnv(Map.of("POD_NAME", "mailer-2", "POD_NAMESPACE", "mail")));
        assertThat(s.get(StreamsConfig.APPLICATION_SERVER_CONFIG, null))
                .isEqualTo("mailer-2." + headless().getMetadata().getName() + ".mail.svc:" + s.httpPort());
    }

    @Test
    void shouldGiveThePeersAHeadlessServiceThatKeepsNotReadyPods() {
        Service peers = headless();
        assertThat(peers.getSpec().getClusterIP()).isEqualTo("None");
        // A pod in a rebalance is not ready; its peers must still find it by name.
        assertThat(peers.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(podLabels()).containsAllEntriesOf(peers.getSpec().getSelector());
        assertThat(peers.getSpec().getPorts()).extracting(ServicePort::getPort).contains(HTTP_PORT);
        assertThat(podLabels()).containsAllEntriesOf(statefulSet().getSpec().getSelector().getMatchLabels());
    }

    @Test
    void shouldPointEveryServicePortAtAContainerPortOfTheSameNumber() {
        for (Service svc : all(Service.class)) {
            assertThat(podLabels()).as(svc.getMetadata().getName() + " selector")
                    .containsAllEntriesOf(svc.getSpec().getSelector());
            for (ServicePort port : svc.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort();
                assertThat(target.getStrVal()).as(svc.getMetadata().getName() + " targetPort by name").isNotNull();
                assertThat(containerPort(target.getStrVal()).getContainerPort()).isEqualTo(port.getPort());
                assertThat(port.getName()).isEqualTo(target.getStrVal());
            }
        }
        assertThat(service("mailer").getSpec().getPorts()).extracting(ServicePort::getName)
                .containsExactlyInAnyOrder("http", "management");
    }

    @Test
    void shouldProbeHealthAndReadinessOnTheManagementPort() {
        Container c = mailer();
        assertHttpGet(c.getLivenessProbe(), "/health");
        assertHttpGet(c.getStartupProbe(), "/health");
        assertHttpGet(c.getReadinessProbe(), "/ready");
    }

    private static void assertHttpGet(Probe probe, String path) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        IntOrString port = probe.getHttpGet().getPort();
        String name = port.getStrVal();
        assertThat(name).as("probe port by name").isEqualTo("management");
        assertThat(containerPort(name).getContainerPort()).isEqualTo(MANAGEMENT_PORT);
        // /health, /ready answer within a second however busy the mailer is (issue 15, point 3).
        assertThat(probe.getTimeoutSeconds()).isBetween(1, 5);
    }

    @Test
    void shouldRestartOnlyAfterTheConsumerSessionTimeout() throws IOException {
        Properties kafka = settings(Map.of()).kafkaProperties();
        long sessionMs = ((Number) ConsumerConfig.configDef().defaultValues()
                .get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).longValue();
        for (String key : List.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))) {
            if (kafka.getProperty(key) != null) {
                sessionMs = Math.max(sessionMs, Long.parseLong(kafka.getProperty(key).strip()));
            }
        }
        assertThat(sessionMs).isEqualTo(45_000L);
        Probe liveness = mailer().getLivenessProbe();
        assertThat(liveness.getFailureThreshold() * liveness.getPeriodSeconds() * 1000L).isGreaterThan(sessionMs);
        // The start: waiting for the broker, creating the topics (up to 60 s), then the HTTP server listens.
        Probe startup = mailer().getStartupProbe();
        assertThat(startup.getFailureThreshold() * startup.getPeriodSeconds()).isGreaterThanOrEqualTo(120);
    }

    @Test
    void shouldWaitLongerThanTheDrainOnStop() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher stopping = Pattern.compile("(?s)### Stopping\\n(.*?)\\n##").matcher(readme);
        assertThat(stopping.find()).as("README section Stopping").isTrue();
        Matcher drain = Pattern.compile("(\\d+) s\\s+at most").matcher(stopping.group(1));
        assertThat(drain.find()).as("the drain time in README, Stopping").isTrue();
        // Streams' close and the clients' after the drain: a few seconds more.
        assertThat(pod().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(Long.parseLong(drain.group(1)) + 10);
    }

    @Test
    void shouldKeepTheStateDirOnAVolumeOfItsOwn() {
        CommandLine.ParseResult run = runCommand();
        Path stateDir = run.matchedOptionValue("--state-dir", null);
        assertThat(stateDir).as("--state-dir").isNotNull();
        List<PersistentVolumeClaim> claims = statefulSet().getSpec().getVolumeClaimTemplates();
        assertThat(claims).hasSize(1);
        PersistentVolumeClaim claim = claims.get(0);
        assertThat(mountPath(claim.getMetadata().getName())).isEqualTo(stateDir.toString());
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getResources().getRequests()).containsKey("storage");
        assertThat(pod().getSecurityContext().getFsGroup()).as("the volume writable for the mailer").isEqualTo(10001L);
    }

    @Test
    void shouldReadTheProcessConfigFromTheConfigMap() {
        Path config = runCommand().matchedOptionValue("--config", null);
        assertThat(config).as("--config").isNotNull();
        Volume volume = pod().getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow();
        assertThat(volume.getConfigMap().getName()).isEqualTo(configMap().getMetadata().getName());
        assertThat(volume.getConfigMap().getItems()).singleElement().satisfies(item -> {
            assertThat(configMap().getData()).containsKey(item.getKey());
            assertThat(Path.of(mountPath(volume.getName()), item.getPath())).isEqualTo(config);
        });
        assertThat(mailer().getVolumeMounts()).filteredOn(m -> m.getName().equals(volume.getName()))
                .singleElement().extracting(VolumeMount::getReadOnly).isEqualTo(true);
    }

    @Test
    void shouldTakeBootstrapServersFromTheConfigMapAndSecretsFromTheSecret() {
        Map<String, EnvVar> env = env();
        var bootstrap = env.get(ProcessSettings.BOOTSTRAP_ENV).getValueFrom().getConfigMapKeyRef();
        assertThat(bootstrap.getName()).isEqualTo(configMap().getMetadata().getName());
        assertThat(configMap().getData()).containsKey(bootstrap.getKey());
        Secret secret = one(Secret.class);
        for (String name : List.of(ProcessSettings.CONSOLE_PASSWORD_ENV, "MAILER_HTTP_PEER_TOKEN")) {
            var ref = env.get(name).getValueFrom().getSecretKeyRef();
            assertThat(ref).as(name + " from a Secret").isNotNull();
            assertThat(ref.getName()).isEqualTo(secret.getMetadata().getName());
            assertThat(secret.getStringData()).containsKey(ref.getKey());
        }
        // No secret value written in the StatefulSet itself.
        assertThat(env.values()).filteredOn(e -> e.getValue() != null).extracting(EnvVar::getName)
                .doesNotContain(ProcessSettings.CONSOLE_PASSWORD_ENV, "MAILER_HTTP_PEER_TOKEN");
    }

    @Test
    void shouldSetOnlyVariablesTheMailerOrTheImageReads() throws IOException {
        Set<String> read = new TreeSet<>(ProcessSettings.ownVariables());
        // The image's entrypoint puts JAVA_OPTS on java's command line.
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("$JAVA_OPTS");
        read.add("JAVA_OPTS");
        String values = mailer().getEnv().stream().map(EnvVar::getValue).filter(v -> v != null)
                .collect(Collectors.joining(" "));
        List<String> unread = new ArrayList<>();
        for (String name : env().keySet()) {
            // Variables only there to build another's value (the pod's name and namespace) are fine.
            if (!read.contains(name) && !values.contains("$(" + name + ")")) {
                unread.add(name);
            }
        }
        assertThat(unread).as("variables nothing reads").isEmpty();
        assertThat(pod().getEnableServiceLinks()).as("no MAILER_* variables injected for the Services").isFalse();
    }

    @Test
    void shouldRunAsTheImagesUserWithAReadOnlyRootAndNoCapabilities() {
        var podSecurity = pod().getSecurityContext();
        assertThat(podSecurity.getRunAsNonRoot()).isTrue();
        assertThat(podSecurity.getRunAsUser()).isEqualTo(10001L);
        var security = mailer().getSecurityContext();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        // The JVM's perf data and RocksDB's native library (extracted at start) need a writable temp dir.
        Volume tmpVolume = pod().getVolumes().stream().filter(v -> v.getEmptyDir() != null).findFirst().orElseThrow();
        assertThat(mountPath(tmpVolume.getName())).isEqualTo("/tmp");
    }

    @Test
    void shouldSizeTheHeapWithinTheMemoryLimit() {
        var resources = mailer().getResources();
        Quantity limit = resources.getLimits().get("memory");
        assertThat(resources.getRequests().get("memory")).as("memory request = limit").isEqualTo(limit);
        assertThat(resources.getRequests()).containsKey("cpu");
        String javaOpts = env().get("JAVA_OPTS").getValue();
        Matcher m = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)").matcher(javaOpts);
        assertThat(m.find()).as(javaOpts).isTrue();
        BigDecimal limitBytes = Quantity.getAmountInBytes(limit);
        BigDecimal heap = limitBytes.multiply(new BigDecimal(m.group(1))).divide(BigDecimal.valueOf(100));
        long mib = 1024L * 1024;
        // The million-email run (README, Performance) held 694 MB RSS with a 512 MiB heap.
        assertThat(heap.longValue()).isGreaterThanOrEqualTo(512 * mib);
        assertThat(limitBytes.subtract(heap).longValue()).as("room for RocksDB, metaspace, stacks")
                .isGreaterThanOrEqualTo(384 * mib);
    }

    @Test
    void shouldLetOneInstanceAtATimeBeDisrupted() {
        PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(podLabels()).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void shouldScrapeMetricsOnceAPodOnTheManagementPort() {
        ServiceMonitor monitor = one(ServiceMonitor.class);
        Map<String, String> selector = monitor.getSpec().getSelector().getMatchLabels();
        // The headless Service selects the same pods: were it chosen too, each pod would be scraped twice.
        List<Service> scraped = all(Service.class).stream()
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
        assertThat(scraped).extracting(s -> s.getMetadata().getName()).containsExactly("mailer");
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies((Endpoint e) -> {
            assertThat(e.getPath()).isEqualTo("/metrics");
            ServicePort port = scraped.get(0).getSpec().getPorts().stream()
                    .filter(p -> p.getName().equals(e.getPort())).findFirst()
                    .orElseThrow(() -> new AssertionError("no Service port named " + e.getPort()));
            assertThat(port.getPort()).isEqualTo(MANAGEMENT_PORT);
        });
    }

    @Test
    void shouldCarryTheAlertRulesOfConfigAlertsYml() throws IOException {
        JsonNode alerts = YAML.readTree(Path.of("config", "alerts.yml").toFile());
        JsonNode rule = YAML.readTree(DIR.resolve("prometheusrule.yaml").toFile());
        assertThat(rule.path("spec").path("groups")).as("make it again from config/alerts.yml: see its header")
                .isEqualTo(alerts.path("groups"));
        PrometheusRule parsed = one(PrometheusRule.class);
        Map<String, Integer> rulesByGroup = new HashMap<>();
        parsed.getSpec().getGroups().forEach(g -> rulesByGroup.put(g.getName(), g.getRules().size()));
        assertThat(rulesByGroup).containsEntry("mailer", AlertRulesTest.rules().size());
    }
}
