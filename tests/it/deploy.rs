//! `deploy/`: the Kubernetes manifests validate against the Kubernetes schemas (a pinned
//! `kubernetes-validate` from PyPI, which ships them: `deploy/requirements.txt`, installed by
//! `.ci/run`), and the Deployment's memory limit covers the bound of its own service limits.

use std::path::{Path, PathBuf};
use std::process::Command;

const KUBERNETES: &str = "1.34.0";

fn deploy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy")
}

fn manifests() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(deploy())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

/// The validator: `$LSU_KUBERNETES_VALIDATE`, else `kubernetes-validate` on the PATH. Absent
/// outside CI, the test says so and passes; under CI it must be there.
fn validator() -> Option<PathBuf> {
    let found = std::env::var_os("LSU_KUBERNETES_VALIDATE")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|d| d.join("kubernetes-validate"))
                .find(|p| p.is_file())
        });
    if found.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "kubernetes-validate is missing under CI (.ci/run installs deploy/requirements.txt)"
        );
        crate::support::say_skipped(
            "deploy: kubernetes-validate absent (python3 -m venv target/kv-venv && \
             target/kv-venv/bin/pip install -r deploy/requirements.txt, then \
             LSU_KUBERNETES_VALIDATE=target/kv-venv/bin/kubernetes-validate)",
        );
    }
    found
}

fn validate(tool: &Path, files: &[PathBuf]) -> (bool, String) {
    let o = Command::new(tool)
        .args(["--strict", "-k", KUBERNETES])
        .args(files)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.success(), text)
}

#[test]
fn manifests_validate_against_the_kubernetes_schemas() {
    let Some(tool) = validator() else { return };
    let files = manifests();
    let (ok, text) = validate(&tool, &files);
    assert!(ok, "{text}");
    for kind in [
        "deployment/lsu-lint",
        "service/lsu-lint",
        "horizontalpodautoscaler/lsu-lint",
        "poddisruptionbudget/lsu-lint",
    ] {
        assert!(
            text.contains(&format!("passed for resource {kind}")),
            "{kind}: {text}"
        );
    }
    // The validator does reject a broken manifest (a field misspelt, a wrong type).
    let bad = std::env::temp_dir().join(format!("lsu-lint-bad-{}.yaml", std::process::id()));
    let text = std::fs::read_to_string(deploy().join("deployment.yaml"))
        .unwrap()
        .replace("replicas: 2", "replicas: deux");
    std::fs::write(&bad, text).unwrap();
    let (ok, out) = validate(&tool, &[bad]);
    assert!(!ok, "{out}");
}

/// `--name=value` among the Deployment's arguments.
fn arg(yaml: &str, name: &str) -> u64 {
    yaml.lines()
        .find_map(|l| l.trim().strip_prefix(&format!("- --{name}=")))
        .unwrap_or_else(|| panic!("--{name} missing"))
        .trim()
        .parse()
        .unwrap()
}

fn mebibytes(q: &str) -> u64 {
    let q = q.trim().trim_matches('"');
    if let Some(n) = q.strip_suffix("Mi") {
        n.parse().unwrap()
    } else if let Some(n) = q.strip_suffix("Gi") {
        n.parse::<u64>().unwrap() * 1024
    } else {
        panic!("memory quantity « {q} »: Mi or Gi expected")
    }
}

#[test]
fn the_memory_limit_covers_the_bound_of_the_service_limits() {
    let yaml = std::fs::read_to_string(deploy().join("deployment.yaml")).unwrap();
    let jobs = arg(&yaml, "max-jobs");
    let upload = arg(&yaml, "max-upload") >> 20;
    let inflight = arg(&yaml, "max-inflight-bytes") >> 20;
    // docs/deploy.md: 32 MiB + budget + 7 × jobs × largest request.
    let bound = 32 + inflight + 7 * jobs * upload;
    let memory: Vec<u64> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("memory:"))
        .map(mebibytes)
        .collect();
    assert_eq!(memory.len(), 2, "a memory request and a memory limit");
    for m in memory {
        assert!(m >= bound, "{m} Mi below the bound {bound} Mi");
        assert!(m <= bound * 5 / 4, "{m} Mi far above the bound {bound} Mi");
    }
    // One job per core: the CPU request is --max-jobs.
    let cpus: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("cpu:"))
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    assert!(
        cpus.iter().all(|c| *c == jobs.to_string()),
        "{cpus:?} vs {jobs}"
    );
}
