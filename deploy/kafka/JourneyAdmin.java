// The secured broker's set-up, in one JVM run over the loopback (super user) listener, idempotently:
// SCRAM-SHA-512 credentials of every principal, the shared and per-partner topics (commands and rejections with a
// bounded retention), and the ACLs of deploy/kafka/acls.txt (missing bindings created, bindings of journey-* and
// partner-* principals that the plan no longer has deleted). Run by deploy/infra.sh and docker-compose's
// kafka-setup; compiled against the broker's libs (javac) or run as a single-file source program:
//   java -cp '<libs>/*' deploy/kafka/JourneyAdmin.java apply --bootstrap 127.0.0.1:9092 --acls deploy/kafka/acls.txt \
//       --partners deploy/kafka/partners.txt,.local/kafka/partners.txt --credentials .local/kafka/credentials \
//       --commands-retention-ms 345600000 --rejections-retention-ms 345600000 [--partitions 3] [--replication 1]
//       [--partner-produce-bytes-per-s 1048576] [--partner-fetch-bytes-per-s 4194304]
//   java ... JourneyAdmin remove-partner --bootstrap 127.0.0.1:9092 --org <org>
//   java ... JourneyAdmin quotas --bootstrap 127.0.0.1:9092      (prints every user quota: principal, name=value ...)
// Every partner principal gets a produce and a fetch quota (bytes per second, the broker throttles beyond them), so
// that no partner can take the bus's capacity from the others; the services and operators have none.
// remove-partner deletes the partner's ACLs and SCRAM credentials; its topics stay until their retention has
// emptied them (delete them by hand when nothing is left to read).
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

public class JourneyAdmin {
    static final List<String> STAGES =
            List.of("recruitment", "recognition", "qualification", "placement", "notifications", "reporting");
    /** Stages that take partner commands (per-partner commands and rejections topics). */
    static final List<String> PARTNER_STAGES =
            List.of("recruitment", "recognition", "qualification", "placement", "notifications");
    static final Pattern ORG = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    /** Commands and rejections topics, shared or per partner: these get the bounded retention. */
    static final Pattern BOUNDED = Pattern.compile("^journey\\.[a-z]+\\.(commands|rejections)(\\.[a-z0-9-]+)?$");
    static final String ADMIN = "journey-admin";
    static final int SCRAM_ITERATIONS = 8192;
    static final String SEGMENT_MS = "3600000";

    public static void main(String[] args) throws Exception {
        if (args.length == 0) usage();
        Map<String, String> opts = options(args);
        try (Admin admin = Admin.create(adminProps(need(opts, "bootstrap")))) {
            switch (args[0]) {
                case "apply" -> apply(admin, opts);
                case "remove-partner" -> removePartner(admin, need(opts, "org"));
                case "quotas" -> printQuotas(admin);
                default -> usage();
            }
        } catch (ExecutionException e) {
            System.err.println("journey-admin: " + e.getCause());
            System.exit(1);
        } catch (IllegalArgumentException e) {
            System.err.println("journey-admin: " + e.getMessage());
            System.exit(2);
        }
    }

    static void usage() {
        System.err.println("usage: JourneyAdmin apply --bootstrap B --acls F --partners F[,F] --credentials DIR"
                + " --commands-retention-ms N --rejections-retention-ms N [--partitions 3] [--replication 1]\n"
                + " [--partner-produce-bytes-per-s N] [--partner-fetch-bytes-per-s N]\n"
                + "       JourneyAdmin remove-partner --bootstrap B --org ORG\n"
                + "       JourneyAdmin quotas --bootstrap B");
        System.exit(2);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }

    static String need(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("--" + name + " is required");
        return value;
    }

    static Properties adminProps(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "journey-admin-setup");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return props;
    }

    // ------------------------------------------------------------------ apply

    static void apply(Admin admin, Map<String, String> opts) throws Exception {
        List<String> orgs = orgs(need(opts, "partners"));
        Set<AclBinding> plan = plan(Path.of(need(opts, "acls")), orgs);
        Set<String> principals = new TreeSet<>();
        principals.add(ADMIN);
        for (AclBinding b : plan) principals.add(b.entry().principal().substring("User:".length()));

        int[] scram = syncScram(admin, principals, Path.of(need(opts, "credentials")));
        int partitions = Integer.parseInt(opts.getOrDefault("partitions", "3"));
        short replication = Short.parseShort(opts.getOrDefault("replication", "1"));
        Map<String, String> retention = Map.of(
                "commands", Long.toString(Long.parseLong(need(opts, "commands-retention-ms"))),
                "rejections", Long.toString(Long.parseLong(need(opts, "rejections-retention-ms"))));
        int[] topics = syncTopics(admin, topicPlan(orgs), retention, partitions, replication);
        int[] acls = syncAcls(admin, plan);
        long produce = Long.parseLong(opts.getOrDefault("partner-produce-bytes-per-s", "1048576"));
        long fetch = Long.parseLong(opts.getOrDefault("partner-fetch-bytes-per-s", "4194304"));
        int quotas = syncQuotas(admin, orgs, produce, fetch);
        System.out.printf(
                "journey-admin: %d partners, %d principals (SCRAM-SHA-512 set, %d removed); topics %d created, %d"
                        + " reconfigured (%d commands/rejections topics checked); ACLs %d created, %d deleted, %d in"
                        + " plan; quotas of %d partners (%d B/s produce, %d B/s fetch)%n",
                orgs.size(), scram[0], scram[1], topics[0], topics[1], topics[2], acls[0], acls[1], plan.size(),
                quotas, produce, fetch);
    }

    static List<String> orgs(String files) throws Exception {
        Set<String> orgs = new TreeSet<>();
        for (String name : files.split(",")) {
            Path file = Path.of(name);
            if (name.isBlank() || !Files.exists(file)) continue;
            for (String line : Files.readAllLines(file)) {
                String org = line.replaceAll("#.*", "").strip();
                if (org.isEmpty()) continue;
                if (!ORG.matcher(org).matches()) throw new IllegalArgumentException(file + ": bad org id '" + org + "'");
                orgs.add(org);
            }
        }
        return new ArrayList<>(orgs);
    }

    /** The bindings acls.txt asks for, `{org}` lines once per partner. */
    static Set<AclBinding> plan(Path acls, List<String> orgs) throws Exception {
        Set<AclBinding> plan = new LinkedHashSet<>();
        int n = 0;
        for (String raw : Files.readAllLines(acls)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            if (f.length != 5) throw new IllegalArgumentException(acls + ":" + n + ": expected 5 fields: " + line);
            List<String> each = f[0].contains("{org}") || f[4].contains("{org}") ? orgs : List.of("");
            for (String org : each) {
                plan.add(binding(acls + ":" + n, f[0].replace("{org}", org), f[1], f[2], f[3],
                        f[4].replace("{org}", org)));
            }
        }
        return plan;
    }

    static AclBinding binding(String where, String principal, String op, String type, String pattern, String name) {
        if (!principal.startsWith("journey-") && !principal.startsWith("partner-")) {
            throw new IllegalArgumentException(where + ": principal " + principal + " is not journey-* or partner-*");
        }
        AclOperation operation = AclOperation.fromString(op);
        ResourceType resource = ResourceType.fromString(type);
        PatternType patternType = PatternType.fromString(pattern);
        if (operation == AclOperation.UNKNOWN || operation == AclOperation.ANY || resource == ResourceType.UNKNOWN
                || resource == ResourceType.ANY || (patternType != PatternType.LITERAL && patternType != PatternType.PREFIXED)) {
            throw new IllegalArgumentException(where + ": cannot read " + String.join(" ", op, type, pattern));
        }
        return new AclBinding(new ResourcePattern(resource, name, patternType),
                new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }

    static boolean ours(String principal) {
        return principal.startsWith("User:journey-") || principal.startsWith("User:partner-");
    }

    /** Upserts every principal's password; deletes SCRAM credentials of our principals not in the plan. */
    static int[] syncScram(Admin admin, Set<String> principals, Path credentials) throws Exception {
        List<UserScramCredentialAlteration> changes = new ArrayList<>();
        for (String principal : principals) {
            changes.add(new UserScramCredentialUpsertion(principal,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password(credentials, principal)));
        }
        int removed = 0;
        for (String user : admin.describeUserScramCredentials().users().get()) {
            if (ours("User:" + user) && !principals.contains(user)) {
                changes.add(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512));
                removed++;
            }
        }
        admin.alterUserScramCredentials(changes).all().get();
        return new int[] {principals.size(), removed};
    }

    static String password(Path credentials, String principal) throws Exception {
        Path file = credentials.resolve(principal + ".env");
        if (!Files.exists(file)) throw new IllegalArgumentException("no credentials file " + file);
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("KAFKA_SASL_PASSWORD=")) {
                String password = line.substring("KAFKA_SASL_PASSWORD=".length()).strip();
                if (password.length() >= 16) return password;
            }
        }
        throw new IllegalArgumentException(file + " has no KAFKA_SASL_PASSWORD of 16 characters or more");
    }

    /** Topic name -> kind (commands, events, rejections). */
    static Map<String, String> topicPlan(List<String> orgs) {
        Map<String, String> topics = new LinkedHashMap<>();
        for (String stage : STAGES) {
            for (String kind : List.of("commands", "events", "rejections")) topics.put("journey." + stage + "." + kind, kind);
        }
        for (String org : orgs) {
            for (String stage : PARTNER_STAGES) {
                topics.put("journey." + stage + ".commands." + org, "commands");
                topics.put("journey." + stage + ".rejections." + org, "rejections");
            }
        }
        return topics;
    }

    /**
     * The configs of a commands or rejections topic (as shared.kafka.retention_configs has them): bounded retention,
     * an hourly segment roll, and on commands topics the broker's append time as the records' timestamp (the stages'
     * grace for a participant not known yet counts from it; a sender's timestamp could lie in the future).
     */
    static Map<String, String> bounded(String kind, String retentionMs) {
        if (kind.equals("commands")) {
            return Map.of("retention.ms", retentionMs, "segment.ms", SEGMENT_MS, "message.timestamp.type", "LogAppendTime");
        }
        return Map.of("retention.ms", retentionMs, "segment.ms", SEGMENT_MS);
    }

    /** Creates missing topics; sets the bounded configs on every existing commands/rejections topic. */
    static int[] syncTopics(Admin admin, Map<String, String> plan, Map<String, String> retention, int partitions,
            short replication) throws Exception {
        Set<String> existing = admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get();
        List<NewTopic> create = new ArrayList<>();
        for (var e : plan.entrySet()) {
            if (existing.contains(e.getKey())) continue;
            NewTopic topic = new NewTopic(e.getKey(), partitions, replication);
            String ms = retention.get(e.getValue());
            if (ms != null) topic.configs(bounded(e.getValue(), ms));
            create.add(topic);
        }
        int created = 0;
        for (var e : admin.createTopics(create).values().entrySet()) {
            try {
                e.getValue().get();
                created++;
            } catch (ExecutionException err) {
                // A service may create it at the same moment; its configs are set below.
                if (!(err.getCause() instanceof TopicExistsException)) throw err;
            }
        }
        Set<String> names = new TreeSet<>(existing);
        names.addAll(plan.keySet());
        List<ConfigResource> bounded = new ArrayList<>();
        for (String name : names) {
            if (BOUNDED.matcher(name).matches()) bounded.add(new ConfigResource(ConfigResource.Type.TOPIC, name));
        }
        Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
        for (var e : admin.describeConfigs(bounded).all().get().entrySet()) {
            var m = BOUNDED.matcher(e.getKey().name());
            m.matches();
            Map<String, String> want = bounded(m.group(1), retention.get(m.group(1)));
            List<AlterConfigOp> ops = new ArrayList<>();
            for (var w : want.entrySet()) {
                ConfigEntry have = e.getValue().get(w.getKey());
                if (have == null || !w.getValue().equals(have.value())
                        || have.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                    ops.add(new AlterConfigOp(new ConfigEntry(w.getKey(), w.getValue()), AlterConfigOp.OpType.SET));
                }
            }
            if (!ops.isEmpty()) alter.put(e.getKey(), ops);
        }
        if (!alter.isEmpty()) admin.incrementalAlterConfigs(alter).all().get();
        return new int[] {created, alter.size(), bounded.size()};
    }

    /** Creates the plan's missing bindings; deletes bindings of journey-* / partner-* principals not in the plan. */
    static int[] syncAcls(Admin admin, Set<AclBinding> plan) throws Exception {
        Set<AclBinding> existing = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get());
        List<AclBindingFilter> delete = new ArrayList<>();
        for (AclBinding b : existing) {
            if (ours(b.entry().principal()) && !plan.contains(b)) delete.add(b.toFilter());
        }
        List<AclBinding> create = new ArrayList<>();
        for (AclBinding b : plan) {
            if (!existing.contains(b)) create.add(b);
        }
        if (!delete.isEmpty()) admin.deleteAcls(delete).all().get();
        if (!create.isEmpty()) admin.createAcls(create).all().get();
        return new int[] {create.size(), delete.size()};
    }

    // ------------------------------------------------------------------ quotas

    static final String PRODUCE = "producer_byte_rate";
    static final String FETCH = "consumer_byte_rate";

    /** Every partner's produce and fetch quota set; a former partner's (no longer listed) removed. */
    static int syncQuotas(Admin admin, List<String> orgs, long produce, long fetch) throws Exception {
        Set<String> partners = new TreeSet<>();
        for (String org : orgs) partners.add("partner-" + org);
        List<ClientQuotaAlteration> alterations = new ArrayList<>();
        for (ClientQuotaEntity entity : admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get().keySet()) {
            String user = entity.entries().get(ClientQuotaEntity.USER);
            if (user != null && user.startsWith("partner-") && !partners.contains(user)) alterations.add(unset(user));
        }
        for (String user : partners) {
            alterations.add(new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, user)),
                    List.of(new ClientQuotaAlteration.Op(PRODUCE, (double) produce),
                            new ClientQuotaAlteration.Op(FETCH, (double) fetch))));
        }
        if (!alterations.isEmpty()) admin.alterClientQuotas(alterations).all().get();
        return partners.size();
    }

    static ClientQuotaAlteration unset(String user) {
        return new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, user)),
                List.of(new ClientQuotaAlteration.Op(PRODUCE, null), new ClientQuotaAlteration.Op(FETCH, null)));
    }

    static void printQuotas(Admin admin) throws Exception {
        Map<String, String> lines = new java.util.TreeMap<>();
        for (var e : admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get().entrySet()) {
            String user = e.getKey().entries().get(ClientQuotaEntity.USER);
            if (user == null) continue;
            StringBuilder line = new StringBuilder(user);
            for (var q : new java.util.TreeMap<>(e.getValue()).entrySet()) {
                line.append(' ').append(q.getKey()).append('=').append(Math.round(q.getValue()));
            }
            lines.put(user, line.toString());
        }
        for (String line : lines.values()) System.out.println(line);
    }

    // ------------------------------------------------------------------ remove-partner

    static void removePartner(Admin admin, String org) throws Exception {
        if (!ORG.matcher(org).matches()) throw new IllegalArgumentException("bad org id '" + org + "'");
        String principal = "partner-" + org;
        AclBindingFilter filter = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:" + principal, null, AclOperation.ANY, AclPermissionType.ANY));
        int acls = admin.deleteAcls(List.of(filter)).all().get().size();
        admin.alterClientQuotas(List.of(unset(principal))).all().get();
        boolean scram = true;
        KafkaFuture<Void> done = admin.alterUserScramCredentials(
                List.of(new UserScramCredentialDeletion(principal, ScramMechanism.SCRAM_SHA_512))).all();
        try {
            done.get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ResourceNotFoundException)) throw e;
            scram = false;
        }
        System.out.printf("journey-admin: %s removed: %d ACLs deleted, quotas unset, SCRAM credentials %s; its topics"
                        + " journey.<stage>.{commands,rejections}.%s stay until their retention has emptied them%n",
                principal, acls, scram ? "deleted" : "were not there", org);
    }
}
