//! Files that hold personal data or keys are private to the service's account: folders 0700, files 0600 (the
//! database, its WAL, the key files, documents and backups). Other platforms keep their defaults.

use std::path::Path;

/// Creates `dir` (and its parents) when missing and makes it 0700.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

/// Writes a new file with mode 0600 (`AlreadyExists` if there is one).
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = new_private(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes an existing file (or folder) private: 0600 for a file, 0700 for a folder. Missing paths are left alone.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => set_mode(path, 0o700),
        Ok(_) => set_mode(path, 0o600),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates an empty file with mode 0600 unless it exists, then makes it (and, for SQLite, its WAL and shared-memory
/// files, which SQLite creates with the database's mode) private.
pub fn private_sqlite_file(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            private_dir(dir)?;
        }
    }
    match new_private(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    make_private(path)?;
    for ext in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(ext);
        make_private(Path::new(&p))?;
    }
    Ok(())
}

#[cfg(unix)]
fn new_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn new_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
    }

    #[test]
    fn sqlite_files_are_private() {
        let dir = std::env::temp_dir().join(format!("motcua-perm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = dir.join("sub").join("x.db");
        private_sqlite_file(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(db.parent().unwrap()), 0o700);
        // An existing 0644 database and WAL (made by an older version) become private.
        let wal = dir.join("sub").join("x.db-wal");
        std::fs::write(&wal, b"").unwrap();
        set_mode(&db, 0o644).unwrap();
        set_mode(&wal, 0o644).unwrap();
        private_sqlite_file(&db).unwrap();
        assert_eq!((mode(&db), mode(&wal)), (0o600, 0o600));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
