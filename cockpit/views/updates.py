"""Help → check for updates: asks the update repository (verified TUF metadata), and installs only after
the user agrees; the new version runs from the next start, the previous one is kept for a rollback."""

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from cockpit.updates.client import AvailableUpdate, UpdateService
from cockpit.views.messages import error_message
from cockpit.views.tasks import TaskRunner


class UpdateChecker(QObject):
    """Signals ``finished(str)`` with what the user was told."""

    finished = Signal(str)

    def __init__(self, window: QWidget, service: UpdateService | None = None) -> None:
        super().__init__(window)  # no reference of our own to the window: a Python cycle through a
        # widget makes the garbage collector free Qt objects in an order that crashes PySide
        self._service = service or UpdateService()
        self._worker: TaskRunner | None = None  # made on first use: most sessions never check

    @property
    def available(self) -> bool:
        return self._service.available

    def _run(self) -> TaskRunner:
        if self._worker is None:
            self._worker = TaskRunner(self)  # network: never the GUI thread, never the store worker
        return self._worker

    def check(self) -> None:
        self._run().run(self._service.check, self._checked, self._failed)

    def shutdown(self) -> None:
        if self._worker is not None:
            self._worker.shutdown()

    def _checked(self, update: AvailableUpdate | None) -> None:
        if update is None:
            self._tell(self.tr("Patient Cockpit er opdateret."))
            return
        answer = QMessageBox.question(
            self._parent_widget(),
            self.tr("Ny version"),
            self.tr(
                "Version {new} er klar (du har {current}; {size} MB). Den er kontrolleret mod praksissens "
                "opdateringsnøgler. Hent og installér den nu? Den tages i brug næste gang programmet "
                "startes, og den nuværende version gemmes, så I kan gå tilbage."
            ).format(new=update.version, current=update.current_version, size=round(update.size / 1e6, 1)),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run().run(lambda: self._service.install(update), self._installed, self._failed)

    def _installed(self, done: bool) -> None:
        self._tell(
            self.tr("Den nye version er installeret og tages i brug, når programmet startes igen.")
            if done
            else self.tr("Opdateringen blev ikke installeret.")
        )

    def _failed(self, error: BaseException) -> None:
        self._tell(error_message(error))

    def _parent_widget(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def _tell(self, text: str) -> None:
        self.finished.emit(text)
        QMessageBox.information(self._parent_widget(), self.tr("Opdatering"), text)
