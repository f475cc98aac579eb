"""Load test scenario: coordinators editing, porteurs entering indicator values, ARS browsing,
the public pages and the API. Started by bench/load/run.py (never by hand against another host).

Environment: OPENCLS_LOAD_PLAN (JSON written by plan.py), OPENCLS_LOAD_HOSTS (comma-separated
http://127.0.0.1:PORT base URLs; users are spread over them), OPENCLS_LOAD_MAX_REQUESTS (the run
stops by itself after that many requests, or at --run-time, whichever comes first).
"""

import itertools
import json
import os
import random
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

PLAN = json.load(open(os.environ["OPENCLS_LOAD_PLAN"]))
HOSTS = os.environ.get("OPENCLS_LOAD_HOSTS", "http://127.0.0.1:8101").split(",")
for _host in HOSTS:
    if urlsplit(_host).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"refusé : {_host} n'est pas une adresse de boucle locale")
MAX_REQUESTS = int(os.environ.get("OPENCLS_LOAD_MAX_REQUESTS", "5000"))
_host_cycle = itertools.cycle(HOSTS)
_count = itertools.count(1)


@events.request.add_listener
def _stop_after_max_requests(context=None, **kwargs):
    if next(_count) == MAX_REQUESTS:
        runner = getattr(_environment, "runner", None)
        if runner is not None:
            runner.quit()


_environment = None


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    global _environment
    _environment = environment


class OpenClsUser(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    role = ""

    def on_start(self):
        self.base = next(_host_cycle)
        if self.role:
            self.login(PLAN[self.role]["username"])

    def _insecure_cookies(self):
        # Served over plain HTTP on loopback: keep sending the cookies the production settings mark
        # Secure (the app sees the request as behind a TLS proxy through X-Forwarded-Proto).
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, path, name):
        response = self.client.get(self.base + path, name=name, headers={"X-Forwarded-Proto": "https"})
        self._insecure_cookies()
        return response

    def post(self, path, data, name):
        """A form that saves redirects (302); a form shown again with errors is a failure."""
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            self.base + path,
            data={**data, "csrfmiddlewaretoken": token},
            name=name,
            headers={"X-Forwarded-Proto": "https", "Referer": self.base.replace("http:", "https:") + path},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            replaces = response.status_code == 200 and 'name="confirmed"' in response.text
            if replaces:
                response.success()  # the before → after page: the user reads it and confirms
            elif response.status_code != 302:
                response.failure(f"HTTP {response.status_code} au lieu d'une redirection")
        self._insecure_cookies()
        if replaces:
            return self.post(path, {**data, "confirmed": "1"}, f"{name} confirmé")
        return response

    def login(self, username):
        self.get("/comptes/connexion/", "connexion (formulaire)")
        response = self.post(
            "/comptes/connexion/", {"username": username, "password": PLAN["password"]}, "connexion (envoi)"
        )
        if response.status_code != 302:
            raise RuntimeError(f"connexion de {username} refusée ({response.status_code})")


class Coordinator(OpenClsUser):
    role = "coordinator"
    weight = 2

    @task(3)
    def overview(self):
        self.get(f"/contrats/{random.choice(PLAN['coordinator']['contracts'])}/", "contrat : vue d'ensemble")

    @task(2)
    def actions(self):
        contract, action = random.choice(PLAN["coordinator"]["actions"])
        self.get(f"/contrats/{contract}/actions/", "édition : liste des fiches")
        self.get(f"/contrats/{contract}/actions/{action}/modifier/", "édition : fiche action")

    @task(2)
    def set_target(self):
        contract, indicator, periods = random.choice(PLAN["coordinator"]["indicators"])
        path = f"/contrats/{contract}/suivi/indicateurs/{indicator}/"
        self.get(path, "suivi : indicateur")
        self.post(
            path,
            {
                "form": "target",
                "target-period": random.choice(periods),
                "target-value": str(random.randint(1, 50)),
            },
            "suivi : cible (envoi)",
        )

    @task(1)
    def history(self):
        self.get(f"/contrats/{random.choice(PLAN['coordinator']['contracts'])}/historique/", "historique")


class Porteur(OpenClsUser):
    role = "porteur"
    weight = 2

    @task
    def enter_value(self):
        contract, indicator, periods = random.choice(PLAN["porteur"]["indicators"])
        path = f"/contrats/{contract}/suivi/indicateurs/{indicator}/"
        self.get(path, "suivi : indicateur")
        self.post(
            path,
            {
                "form": "value",
                "value-period": random.choice(periods),
                "value-value": str(random.randint(0, 500)),
                "value-comment": "Saisie du test de charge",
            },
            "suivi : valeur (envoi)",
        )
        self.get(f"/contrats/{contract}/suivi/", "suivi : tableau de bord")


class ArsReader(OpenClsUser):
    role = "ars"
    weight = 2

    @task(2)
    def home(self):
        self.get("/", "accueil (tableau de bord)")

    @task(3)
    def contract(self):
        contract = random.choice(PLAN["ars"]["contracts"])
        self.get(f"/contrats/{contract}/", "contrat : vue d'ensemble")
        self.get(f"/contrats/{contract}/suivi/", "suivi : tableau de bord")

    @task(1)
    def evaluation(self):
        self.get(f"/contrats/{random.choice(PLAN['ars']['contracts'])}/evaluation/", "évaluation")

    @task(2)
    def api(self):
        self.get("/api/contrats/", "API : liste")
        self.get(f"/api/contrats/{random.choice(PLAN['ars']['contracts'])}/", "API : contrat")


class Public(OpenClsUser):
    weight = 2

    @task(2)
    def public_list(self):
        self.get("/contrats/publies/", "public : liste")

    @task(3)
    def public_contract(self):
        self.get(f"/contrats/publies/{random.choice(PLAN['published'])}/", "public : contrat")

    @task(1)
    def api_schema(self):
        self.get("/api/schema/", "API : schéma (anonyme)")
