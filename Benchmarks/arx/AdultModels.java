import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.deidentifier.arx.ARXAnonymizer;
import org.deidentifier.arx.ARXConfiguration;
import org.deidentifier.arx.ARXLattice;
import org.deidentifier.arx.ARXLattice.ARXNode;
import org.deidentifier.arx.ARXResult;
import org.deidentifier.arx.AttributeType;
import org.deidentifier.arx.AttributeType.Hierarchy;
import org.deidentifier.arx.Data;
import org.deidentifier.arx.DataHandle;
import org.deidentifier.arx.criteria.DistinctLDiversity;
import org.deidentifier.arx.criteria.EntropyLDiversity;
import org.deidentifier.arx.criteria.EqualDistanceTCloseness;
import org.deidentifier.arx.criteria.HierarchicalDistanceTCloseness;
import org.deidentifier.arx.criteria.KAnonymity;
import org.deidentifier.arx.criteria.PrivacyCriterion;
import org.deidentifier.arx.criteria.RecursiveCLDiversity;
import org.deidentifier.arx.metric.Metric;

/**
 * Reference optima from ARX for k-anonymity combined with l-diversity and
 * t-closeness on UCI Adult, so that another implementation can be compared
 * with them. Every case uses optimal (Flash) search, a 4 % suppression limit
 * and ARX's Loss metric with its defaults (gsFactor 0.5, geometric mean).
 *
 * Usage: java AdultModels DATA_DIR [OUT_DIR]
 *   DATA_DIR holds adult.csv and adult_hierarchy_COLUMN.csv (';'-delimited).
 *   OUT_DIR, when given, receives each case's published table as CASE.csv.
 *
 * Prints one CSV line per case:
 *   case,levels,suppressed,loss,all_star_rows,ties,checked,models
 * levels follow QI_ORDER (occupation omitted when it is not a QI); suppressed
 * counts ARX's outlier rows and all_star_rows the published rows whose every QI
 * is '*', an independent count of the same thing; ties counts the checked
 * transformations that are anonymous and score exactly the optimum's loss (1
 * means the optimum is unique among them); checked is checked/lattice size.
 */
public final class AdultModels {

    private static final String[] QI_ORDER = {
        "sex", "age", "race", "marital-status", "education",
        "native-country", "workclass", "occupation", "salary-class"
    };
    private static final String SENSITIVE = "occupation";
    private static final double SUPPRESSION = 0.04d;

    /** How the occupation column takes part in a case. */
    private enum Role { QUASI, SENSITIVE, INSENSITIVE }

    private final File dir;
    private final File out;

    private AdultModels(File dir, File out) {
        this.dir = dir;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: AdultModels DATA_DIR [OUT_DIR]");
            System.exit(2);
        }
        AdultModels run = new AdultModels(new File(args[0]), args.length > 1 ? new File(args[1]) : null);
        System.out.println("case,levels,suppressed,loss,all_star_rows,ties,checked,models");
        // Confirms the configuration against the known all-QI optima first.
        run.solve("qi9-k5", Role.QUASI, new KAnonymity(5));
        run.solve("qi9-k10", Role.QUASI, new KAnonymity(10));
        Hierarchy occupation = run.hierarchy(SENSITIVE);
        // ARX refuses a sensitive attribute that no model protects, so the
        // baseline keeps occupation as an insensitive, untouched column.
        run.solve("f-k5-occupation-not-qi", Role.INSENSITIVE, new KAnonymity(5));
        run.solve("a-k5-distinct-l3", Role.SENSITIVE, new KAnonymity(5), new DistinctLDiversity(SENSITIVE, 3));
        run.solve("b-k5-equal-t0.2", Role.SENSITIVE, new KAnonymity(5), new EqualDistanceTCloseness(SENSITIVE, 0.2d));
        run.solve("c-k5-entropy-l3", Role.SENSITIVE, new KAnonymity(5), new EntropyLDiversity(SENSITIVE, 3d));
        run.solve("d-k5-recursive-c4-l3", Role.SENSITIVE, new KAnonymity(5), new RecursiveCLDiversity(SENSITIVE, 4d, 3));
        run.solve("e-k5-hierarchical-t0.2", Role.SENSITIVE, new KAnonymity(5),
                  new HierarchicalDistanceTCloseness(SENSITIVE, 0.2d, occupation));
    }

    private Hierarchy hierarchy(String column) throws IOException {
        File f = new File(dir, "adult_hierarchy_" + column + ".csv");
        return Hierarchy.create(f, StandardCharsets.UTF_8, ';');
    }

    private Data load(Role role) throws IOException {
        Data data = Data.create(new File(dir, "adult.csv"), StandardCharsets.UTF_8, ';');
        for (String column : QI_ORDER) {
            if (role == Role.SENSITIVE && column.equals(SENSITIVE)) {
                data.getDefinition().setAttributeType(column, AttributeType.SENSITIVE_ATTRIBUTE);
            } else if (role == Role.INSENSITIVE && column.equals(SENSITIVE)) {
                data.getDefinition().setAttributeType(column, AttributeType.INSENSITIVE_ATTRIBUTE);
            } else {
                data.getDefinition().setAttributeType(column, hierarchy(column));
            }
        }
        return data;
    }

    private void solve(String name, Role role, PrivacyCriterion... models) throws IOException {
        boolean sensitive = role != Role.QUASI;
        Data data = load(role);
        ARXConfiguration config = ARXConfiguration.create();
        StringBuilder described = new StringBuilder();
        for (PrivacyCriterion model : models) {
            config.addPrivacyModel(model);
            described.append(described.length() == 0 ? "" : " + ").append(model.toString())
                     .append(" [monotonicWithSuppression=").append(model.isMonotonicWithSuppression()).append(']');
        }
        config.setSuppressionLimit(SUPPRESSION);
        config.setQualityModel(Metric.createLossMetric());
        config.setAlgorithm(ARXConfiguration.AnonymizationAlgorithm.OPTIMAL);

        ARXResult result = new ARXAnonymizer().anonymize(data, config);
        ARXNode optimum = result.getGlobalOptimum();
        if (optimum == null) {
            System.out.println(name + ",none,,,,,," + described);
            return;
        }
        List<String> levels = new ArrayList<>();
        for (String column : QI_ORDER) {
            if (sensitive && column.equals(SENSITIVE)) continue;
            levels.add(String.valueOf(optimum.getGeneralization(column)));
        }
        DataHandle handle = result.getOutput(optimum, false);
        int suppressed = 0;
        for (int row = 0; row < handle.getNumRows(); row++) {
            if (handle.isOutlier(row)) suppressed++;
        }
        int allStar = countAllStar(handle, sensitive);
        if (out != null) {
            handle.save(new File(out, name + ".csv"), ';');
        }
        int ties = 0, checked = 0, total = 0;
        for (ARXNode[] level : result.getLattice().getLevels()) {
            for (ARXNode node : level) {
                total++;
                if (!node.isChecked()) continue;
                checked++;
                if (node.getAnonymity() == ARXLattice.Anonymity.ANONYMOUS
                    && node.getHighestScore().compareTo(optimum.getHighestScore()) == 0) {
                    ties++;
                }
            }
        }
        System.out.println(name + "," + String.join(" ", levels) + "," + suppressed + ","
                           + optimum.getHighestScore() + "," + allStar + "," + ties + ","
                           + checked + "/" + total + ",\"" + described + "\"");
    }

    /** Counts published rows whose every quasi-identifier reads '*', independently of isOutlier. */
    private static int countAllStar(DataHandle handle, boolean sensitive) {
        Iterator<String[]> rows = handle.iterator();
        String[] header = rows.next();
        int count = 0;
        while (rows.hasNext()) {
            String[] row = rows.next();
            boolean star = true;
            for (int i = 0; i < header.length && star; i++) {
                if (sensitive && header[i].equals(SENSITIVE)) continue;
                star = row[i].equals("*");
            }
            if (star) count++;
        }
        return count;
    }
}
